import { proxy, wrap, type Remote } from 'comlink'
import type { ResolvedConfig } from '../shared/config'
import { AuthError } from '../shared/errors'
import type { StateListener, WorkerApi } from '../shared/wire'

export interface WorkerConnection {
  /**
   * Runs `task` against a started, initialised worker. A worker that has died is replaced first
   * (the session comes back from the vault in `indexeddb` persistence); one that dies during the
   * task rejects it with `worker_error`.
   */
  call<T>(task: (api: Remote<WorkerApi>, died: Promise<never>) => Promise<T>, options?: CallOptions): Promise<T>
  close(): void
}

export interface CallOptions {
  /** Safe to run again: when the worker turns out to be dead, the task runs once more on a new one. */
  readonly idempotent?: boolean
}

interface LiveWorker {
  /** `null` when the worker could not even be constructed. */
  readonly worker: Worker | null
  readonly api: Remote<WorkerApi> | null
  readonly ready: Promise<void>
  /** Rejects with `worker_error` once the worker is gone. */
  readonly died: Promise<never>
  dead: boolean
}

function lockManager(): LockManager | undefined {
  return (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks
}

/**
 * Starts the worker and pins its configuration with one `init` call. `createWorker` must build the
 * worker with the literal `new Worker(new URL(...), { type: 'module' })` form for bundlers to see it.
 *
 * A worker reports nothing when it is terminated or crashes, so each one holds a Web Lock for its
 * whole life; the browser releases it when the worker ends, and the page, waiting for that lock,
 * learns of the death at once without polling.
 */
export function connectWorker(
  createWorker: () => Worker,
  config: ResolvedConfig,
  onState: StateListener,
): WorkerConnection {
  let live: LiveWorker | undefined
  let closed = false

  function start(): LiveWorker {
    let markDead!: (message: string) => void
    const died = new Promise<never>((_, reject) => {
      markDead = (message) => {
        entry.dead = true
        reject(new AuthError('worker_error', message))
      }
    })
    died.catch(() => undefined)
    let worker: Worker
    try {
      worker = createWorker()
    } catch {
      const failed = Promise.reject(new AuthError('worker_error', 'the worker could not be started'))
      failed.catch(() => undefined)
      return { worker: null, api: null, ready: failed, died, dead: true }
    }
    const api = wrap<WorkerApi>(worker)
    const onStartError = (): void => markDead('the worker failed to start')
    worker.addEventListener('error', onStartError)
    const ready = (async () => {
      const { liveness } = await Promise.race([api.init(config, proxy(onState)), died])
      worker.removeEventListener('error', onStartError)
      if (liveness) void lockManager()?.request(liveness, () => markDead('the worker stopped'))
    })()
    ready.catch(() => undefined)
    const entry: LiveWorker = { worker, api, ready, died, dead: false }
    return entry
  }

  return {
    async call(task, options = {}) {
      for (let attempt = 0; ; attempt++) {
        if (closed) throw new AuthError('worker_error', 'the client was closed')
        if (!live || live.dead) live = start()
        const entry = live
        try {
          await Promise.race([entry.ready, entry.died])
          if (!entry.api) throw new AuthError('worker_error', 'the worker could not be started')
          return await Promise.race([task(entry.api, entry.died), entry.died])
        } catch (error) {
          // A worker that died before it was seen to: an idempotent task may run on a new one.
          if (!(options.idempotent && attempt === 0 && entry.dead && entry.worker)) throw error
        }
      }
    },
    close() {
      closed = true
      live?.worker?.terminate()
    },
  }
}
