import { proxy, wrap, type Remote } from './comlink-client'
import { AuthError } from '../shared/errors'
import { VERSION } from '../shared/version'
import { unlessAborted } from './abort'
import { defaultWorker, onDemand } from './default-worker'
import type { StateListener, WireOptions, WorkerApi } from '../shared/wire'

export interface CallOptions {
  /** Safe to run again: when the worker turns out to be dead, the task runs once more on a new one. */
  readonly idempotent?: boolean
}

export interface WorkerConnection {
  /**
   * Runs `task` against a started, initialised worker. A worker that has died is replaced first
   * (the session comes back from the vault in `indexeddb` persistence); one that dies during the
   * task rejects it with `worker_error`. `ended` aborts, with that error as its reason, when the
   * worker ends: for work that outlives the task, such as a response body still streaming.
   */
  call<T>(task: (api: Remote<WorkerApi>, ended: AbortSignal) => Promise<T>, options?: CallOptions): Promise<T>
  close(): void
}

interface LiveWorker {
  /** `null` when the worker could not even be constructed. */
  readonly worker: Worker | null
  readonly api: Remote<WorkerApi> | null
  /** Never settles without a worker. */
  readonly ready: Promise<void>
  /** Aborts with a `worker_error` reason once the worker is gone. */
  readonly ended: AbortSignal
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
  options: WireOptions,
  onState: StateListener,
): WorkerConnection {
  let live: LiveWorker
  let closed = false

  function start(): LiveWorker {
    const death = new AbortController()
    const markDead = (message: string): void => death.abort(new AuthError('worker_error', message))
    // The calls waiting for this worker reject once the diagnosis, loaded only now, has the words;
    // or, if even that cannot load, with what the browser said about it.
    const onStartError = (cause: unknown): void =>
      void onDemand()
        .then((m) => m.diagnose(cause, createWorker == defaultWorker && defaultWorker))
        .catch(String)
        .then(markDead)
    let worker: Worker
    try {
      worker = createWorker()
    } catch (error) {
      onStartError(error)
      // Never ready: a call rejects when `ended` aborts, with the diagnosis.
      return { worker: null, api: null, ready: new Promise(() => {}), ended: death.signal }
    }
    const api = wrap<WorkerApi>(worker)
    worker.addEventListener('error', onStartError)
    // The page's service worker sees the worker's requests too: the worker decides whether it may.
    const serviceWorker = navigator.serviceWorker?.controller?.scriptURL
    const ready = unlessAborted(api.init(options, proxy(onState), VERSION, serviceWorker), death.signal).then(
      ({ liveness }) => {
        worker.removeEventListener('error', onStartError)
        // A name comes back only where the worker has Web Locks, and so the page has them too.
        if (liveness) void navigator.locks.request(liveness, () => markDead('the worker ended'))
      },
    )
    ready.catch(() => {})
    return { worker, api, ready, ended: death.signal }
  }

  // Started now rather than at the first call: a worker takes tens of milliseconds to start.
  live = start()
  return {
    async call(task, options = {}) {
      for (let attempt = 0; ; attempt++) {
        if (closed) throw new AuthError('worker_error', 'closed')
        if (live.ended.aborted) live = start()
        const entry = live
        try {
          // Sent without waiting for `init` to answer: the worker queues it behind `init`, which
          // saves a round trip on the first call after a page load. A failed `init` fails it too.
          // Without a worker there is nothing to send it to, and `ready` never comes.
          const [, result] = await unlessAborted(
            Promise.all([entry.ready, entry.api && task(entry.api, entry.ended)]),
            entry.ended,
          )
          return result as Awaited<ReturnType<typeof task>>
        } catch (error) {
          // A worker that died before it was seen to, or never started: an idempotent task may
          // run on a new one, once.
          if (!(options.idempotent && attempt === 0 && entry.ended.aborted)) throw error
        }
      }
    },
    close() {
      closed = true
      live.worker?.terminate()
    },
  }
}
