/**
 * A "worker" in the test page: one end of a MessageChannel served by the SDK's real comlink server
 * over a fake API, holding a Web Lock for its life as the real worker does (liveness.ts), so that
 * `terminate()` is seen by the page exactly as a real worker's death is.
 */
import { serveComlink } from '../../src/worker/comlink-server'
import type { WorkerApi } from '../../src/shared/wire'

export type FakeApi = Partial<Omit<WorkerApi, 'init'>>

export interface FakeWorker {
  readonly worker: Worker
  /** Whether `terminate()` was called. */
  readonly terminated: () => boolean
}

/** A worker serving `api`; its `init` answers with a liveness lock that `terminate()` releases. */
export function fakeWorker(api: FakeApi): FakeWorker {
  const { port1, port2 } = new MessageChannel()
  const events = new EventTarget()
  const lock = `oauth-enclave-test:worker ${crypto.randomUUID()}`
  let release: () => void = () => {}
  let terminated = false
  const held = new Promise<void>((granted) => {
    void navigator.locks.request(lock, () => {
      granted()
      return new Promise<void>((resolve) => (release = resolve))
    })
  })
  // Like the real worker's, the other methods answer only after `init` has: a task later.
  const afterInit =
    <T>(method: (...args: never[]) => Promise<T>) =>
    async (...args: never[]): Promise<T> => {
      await held
      await new Promise((resolve) => setTimeout(resolve, 0))
      return method(...args)
    }
  const methods = Object.fromEntries(
    Object.entries(api).map(([name, method]) => [name, afterInit(method as (...args: never[]) => Promise<unknown>)]),
  )
  serveComlink(
    {
      ...methods,
      async init() {
        await held
        return { liveness: lock }
      },
    } as Record<string, (...args: never[]) => Promise<unknown>>,
    port1,
  )
  port1.start()
  const worker = {
    postMessage: (message: unknown, transfer: Transferable[] = []) => port2.postMessage(message, transfer),
    // Messages flow as soon as there is a listener, as they do for a Worker.
    addEventListener: (type: string, listener: EventListener) =>
      type === 'message'
        ? (port2.addEventListener(type, listener), port2.start())
        : events.addEventListener(type, listener),
    removeEventListener: (type: string, listener: EventListener) =>
      type === 'message' ? port2.removeEventListener(type, listener) : events.removeEventListener(type, listener),
    start: () => port2.start(),
    terminate: () => {
      terminated = true
      port1.close()
      port2.close()
      release()
    },
  } as unknown as Worker
  return {
    worker,
    terminated: () => terminated,
  }
}

/** A factory that builds a new {@link fakeWorker} per call; `started` lists them in order. */
export function fakeWorkers(api: (n: number) => FakeApi) {
  const started: FakeWorker[] = []
  return {
    started,
    create: (): Worker => {
      const next = fakeWorker(api(started.length))
      started.push(next)
      return next.worker
    },
  }
}

/** Waits for a promise that must not settle yet: resolves `'pending'` when it has not within `ms`. */
export async function stillPending(promise: Promise<unknown>, ms = 50): Promise<unknown> {
  return Promise.race([
    promise.then(
      (v) => ({ resolved: v }),
      (e: unknown) => ({ rejected: e }),
    ),
    new Promise((resolve) => setTimeout(() => resolve('pending'), ms)),
  ])
}
