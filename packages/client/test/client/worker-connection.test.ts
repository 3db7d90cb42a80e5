import { afterEach, describe, expect, it } from 'vitest'
import { connectWorker, type WorkerConnection } from '../../src/client/worker-connection'
import { AuthError } from '../../src/shared/errors'
import type { AuthState } from '../../src/shared/types'
import type { WireOptions } from '../../src/shared/wire'
import { fakeWorkers, stillPending, type FakeApi } from '../support/fake-worker'

const options: WireOptions = {
  issuer: 'https://as.example.test',
  clientId: 'spa',
  redirectUri: `${location.origin}/cb`,
}

const state = (n: number): AuthState => ({ authenticated: n > 0, user: null, expiresAt: n })

/** The n-th worker (from 0) answers getState with `state(n)`; `hang` workers never answer. */
function workers(hang: (n: number) => boolean = () => false) {
  return fakeWorkers((n): FakeApi => ({
    getState: () => (hang(n) ? new Promise<never>(() => {}) : Promise.resolve(state(n))),
    // Answered by every worker: once it has, the page has seen `init` answered too.
    abort: async () => {},
  }))
}

let connection: WorkerConnection | undefined
afterEach(() => connection?.close())

function connect(create: () => Worker): WorkerConnection {
  connection = connectWorker(create, options, () => {})
  return connection
}

describe('connectWorker', () => {
  it('starts one worker at once and runs calls on it', async () => {
    const { started, create } = workers()
    const c = connect(create)
    expect(started).toHaveLength(1)
    expect(await c.call((api) => api.getState())).toEqual(state(0))
    expect(await c.call((api) => api.getState())).toEqual(state(0))
    expect(started).toHaveLength(1)
  })

  it('starts a new worker for the next call once the old one was terminated', async () => {
    const { started, create } = workers()
    const c = connect(create)
    await c.call((api) => api.getState())
    started[0]!.worker.terminate()
    // The page learns of the death through the liveness lock, not at once.
    await expect.poll(() => c.call((api) => api.getState())).toEqual(state(1))
    expect(started).toHaveLength(2)
  })

  it('rejects a call in flight with worker_error when its worker dies', async () => {
    const { started, create } = workers((n) => n === 0)
    const c = connect(create)
    await c.call((api) => api.abort(0))
    const pending = c.call((api) => api.getState())
    expect(await stillPending(pending)).toBe('pending')
    started[0]!.worker.terminate()
    await expect(pending).rejects.toMatchObject({ name: 'AuthError', code: 'worker_error' })
  })

  it('runs an idempotent call in flight once more, on a new worker, when its worker dies', async () => {
    const { started, create } = workers((n) => n === 0)
    const c = connect(create)
    await c.call((api) => api.abort(0))
    const pending = c.call((api) => api.getState(), { idempotent: true })
    expect(await stillPending(pending)).toBe('pending')
    started[0]!.worker.terminate()
    expect(await pending).toEqual(state(1))
    expect(started).toHaveLength(2)
  })

  it('tries an idempotent call on a second worker only, not on and on', async () => {
    const { started, create } = workers()
    const c = connect(create)
    let attempts = 0
    const pending = c.call(
      async (api) => {
        attempts++
        // Each attempt's worker dies under it, after the page has seen it answer (init first).
        await api.getState()
        started.at(-1)!.worker.terminate()
        return new Promise<never>(() => {})
      },
      { idempotent: true },
    )
    await expect(pending).rejects.toMatchObject({ code: 'worker_error' })
    expect(attempts).toBe(2)
  })

  it('gives the task an `ended` signal that aborts with worker_error when the worker dies', async () => {
    const { started, create } = workers()
    const c = connect(create)
    const ended = await c.call(async (_api, signal) => signal)
    expect(ended.aborted).toBe(false)
    started[0]!.worker.terminate()
    await expect.poll(() => ended.aborted).toBe(true)
    expect(ended.reason).toBeInstanceOf(AuthError)
    expect((ended.reason as AuthError).code).toBe('worker_error')
  })

  it('rejects with worker_error when the worker cannot even be constructed', async () => {
    const c = connect(() => {
      throw new Error('blocked by CSP')
    })
    await expect(c.call((api) => api.getState(), { idempotent: true })).rejects.toMatchObject({ code: 'worker_error' })
  })

  it('rejects with the diagnosis of what new Worker threw', async () => {
    const c = connect(() => {
      throw new DOMException('blocked by CSP', 'SecurityError')
    })
    await expect(c.call((api) => api.getState())).rejects.toMatchObject({
      code: 'worker_error',
      message: expect.stringMatching(/^the worker failed to start: the worker option: new Worker threw SecurityError;/),
    })
  })

  it('rejects with the diagnosis when the worker fires error before it answers init', async () => {
    const c = connect(() => new Worker('/no-such-worker.js', { type: 'module' }))
    await expect(c.call((api) => api.getState())).rejects.toMatchObject({
      code: 'worker_error',
      message: expect.stringMatching(/^the worker failed to start: the worker option: /),
    })
  })

  it('terminates its worker on close and starts no other after it', async () => {
    const { started, create } = workers()
    const c = connect(create)
    const ended = await c.call(async (_api, signal) => signal)
    c.close()
    expect(started[0]!.terminated()).toBe(true)
    // Even once the page has seen the worker end, a call does not bring up a new one.
    await expect.poll(() => ended.aborted).toBe(true)
    await expect(c.call((api) => api.getState(), { idempotent: true })).rejects.toMatchObject({
      code: 'worker_error',
      message: 'closed',
    })
    expect(started).toHaveLength(1)
  })
})
