import { proxy, wrap, type Remote } from 'comlink'
import type { ResolvedConfig } from '../shared/config'
import { AuthError } from '../shared/errors'
import type { StateListener, WorkerApi } from '../shared/wire'

export interface WorkerConnection {
  /** The initialised worker API. */
  api(): Promise<Remote<WorkerApi>>
  close(): void
}

/**
 * Starts the worker and pins its configuration with one `init` call. `createWorker` must build the
 * worker with the literal `new Worker(new URL(...), { type: 'module' })` form for bundlers to see it.
 */
export function connectWorker(
  createWorker: () => Worker,
  config: ResolvedConfig,
  onState: StateListener,
): WorkerConnection {
  let worker: Worker | undefined
  try {
    worker = createWorker()
  } catch {
    worker = undefined
  }
  const ready: Promise<Remote<WorkerApi>> = (async () => {
    if (!worker) throw new AuthError('worker_error', 'the worker could not be started')
    const started = worker
    const died = new Promise<never>((_, reject) => {
      started.addEventListener('error', () => reject(new AuthError('worker_error', 'the worker failed to start')), {
        once: true,
      })
    })
    const remote = wrap<WorkerApi>(started)
    await Promise.race([remote.init(config, proxy(onState)), died])
    return remote
  })()
  // Callers see the rejection when they call; no unhandled rejection meanwhile.
  ready.catch(() => undefined)
  return {
    api: () => ready,
    close: () => worker?.terminate(),
  }
}
