import { afterEach, describe, expect, it } from 'vitest'
import { proxy, wrap } from '../../src/client/comlink-client'
import { AuthError } from '../../src/shared/errors'
import { serveComlink, withTransfer } from '../../src/worker/comlink-server'

/** A served API on one end of a channel; the page's client (`comlink-client.ts`) and a raw port on the other. */
function served() {
  const calls: unknown[][] = []
  const sent: ArrayBuffer[] = []
  const api = {
    async ping(...args: unknown[]) {
      calls.push(args)
      return 'pong'
    },
    async init(_config: unknown, listener: (state: unknown) => void, _version: string, _serviceWorker: string | null) {
      listener({ authenticated: true })
      return null
    },
    async buffer() {
      const body = new ArrayBuffer(8)
      sent.push(body)
      return withTransfer({ body }, [body])
    },
    async fail(): Promise<void> {
      throw new AuthError('token_error', 'invalid_grant', { oauthError: 'invalid_grant', status: 400 })
    },
    async leak(): Promise<void> {
      throw new Error('secret-token-value')
    },
    async unserializable() {
      return { f: () => 1 }
    },
  }
  const { port1, port2 } = new MessageChannel()
  serveComlink(api, port1)
  port1.start()
  let id = 0
  const send = (message: Record<string, unknown>) =>
    new Promise<{ type: string; name?: string; value: unknown }>((resolve) => {
      const mine = `m${id++}`
      const listener = (event: MessageEvent) => {
        if (event.data?.id !== mine) return
        port2.removeEventListener('message', listener)
        resolve(event.data)
      }
      port2.addEventListener('message', listener)
      port2.start()
      port2.postMessage({ id: mine, ...message })
    })
  port2.start()
  return { remote: wrap<typeof api>(port2), send, calls, sent, close: () => (port1.close(), port2.close()) }
}

const refused = { type: 'HANDLER', name: 'throw', value: expect.objectContaining({ code: 'config_error' }) }

let close: () => void = () => {}
afterEach(() => close())

describe('comlink server', () => {
  it("answers the page's client for the API's own methods with plain-data arguments", async () => {
    const worker = served()
    close = worker.close
    expect(await worker.remote.ping(1, { a: [2] })).toBe('pong')
    expect(worker.calls).toEqual([[1, { a: [2] }]])
  })

  it("calls init's proxied listener over comlink's port", async () => {
    const worker = served()
    close = worker.close
    const seen = new Promise((resolve) => void worker.remote.init({}, proxy(resolve), '0.0.0', null))
    expect(await seen).toEqual({ authenticated: true })
  })

  it('transfers what the method marked, instead of copying it', async () => {
    const worker = served()
    close = worker.close
    const { body } = await worker.remote.buffer()
    expect(body.byteLength).toBe(8)
    // Transferred: the sender's buffer is detached; a copy would have left it whole.
    expect(worker.sent[0]?.byteLength).toBe(0)
  })

  it('rejects as AuthError with its code, and with nothing of a foreign error but its name', async () => {
    const worker = served()
    close = worker.close
    await expect(worker.remote.fail()).rejects.toMatchObject({ code: 'token_error', oauthError: 'invalid_grant' })
    const leaked = await worker.remote.leak().catch((error: unknown) => error)
    expect(leaked).toBeInstanceOf(AuthError)
    expect(String((leaked as Error).message)).not.toContain('secret-token-value')
  })

  it('rejects an unserializable answer with worker_error instead of never answering', async () => {
    const worker = served()
    close = worker.close
    await expect(worker.remote.unserializable()).rejects.toMatchObject({ code: 'worker_error' })
  })

  it.each([
    ['a read of any property', { type: 'GET', path: ['ping', 'constructor'] }],
    ['a prototype-polluting write', { type: 'SET', path: ['__proto__', 'mtls'], value: { type: 'RAW', value: 1 } }],
    ['a constructor call', { type: 'CONSTRUCT', path: ['ping', 'constructor'], argumentList: [] }],
    ['an unknown method', { type: 'APPLY', path: ['eval'], argumentList: [] }],
    ['an inherited method', { type: 'APPLY', path: ['toString'], argumentList: [] }],
    ['a nested path', { type: 'APPLY', path: ['ping', 'call'], argumentList: [] }],
    ['a proxied argument', { type: 'APPLY', path: ['ping'], argumentList: [{ type: 'HANDLER', name: 'proxy' }] }],
    [
      'a proxy that is no port',
      {
        type: 'APPLY',
        path: ['init'],
        argumentList: [
          { type: 'RAW', value: {} },
          { type: 'HANDLER', name: 'proxy', value: 1 },
        ],
      },
    ],
    ['init without its listener', { type: 'APPLY', path: ['init'], argumentList: [{ type: 'RAW', value: {} }] }],
    [
      'init with a listener passed as data',
      {
        type: 'APPLY',
        path: ['init'],
        argumentList: [
          { type: 'RAW', value: {} },
          { type: 'RAW', value: 'listener' },
          { type: 'RAW', value: '0.0.0' },
          { type: 'RAW', value: null },
        ],
      },
    ],
    ['an endpoint request', { type: 'ENDPOINT' }],
    ['a release', { type: 'RELEASE', path: [] }],
  ])('refuses %s with config_error', async (_, message) => {
    const worker = served()
    close = worker.close
    expect(await worker.send(message)).toMatchObject(refused)
    expect(worker.calls).toEqual([])
    expect(({} as Record<string, unknown>).mtls).toBeUndefined()
  })
})
