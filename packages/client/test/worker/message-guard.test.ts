import { expose } from 'comlink'
import { afterEach, describe, expect, it } from 'vitest'
import { registerErrorTransfer } from '../../src/shared/error-transfer'
import { guardEndpoint } from '../../src/worker/message-guard'

registerErrorTransfer()

/** An exposed object behind the guard, and a raw port to post comlink's wire messages to it. */
function guarded() {
  const calls: unknown[][] = []
  const api = {
    async ping(...args: unknown[]) {
      calls.push(args)
      return 'pong'
    },
  }
  const { port1, port2 } = new MessageChannel()
  expose(api, guardEndpoint(port1, Object.keys(api)))
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
  return { send, calls, close: () => (port1.close(), port2.close()) }
}

const refused = { type: 'HANDLER', name: 'throw', value: expect.objectContaining({ code: 'config_error' }) }

let close: () => void = () => {}
afterEach(() => close())

describe('message guard', () => {
  it("lets the API's own methods through with plain-data arguments", async () => {
    const worker = guarded()
    close = worker.close
    const answer = await worker.send({ type: 'APPLY', path: ['ping'], argumentList: [{ type: 'RAW', value: 1 }] })
    expect(answer).toMatchObject({ type: 'RAW', value: 'pong' })
    expect(worker.calls).toEqual([[1]])
  })

  it.each([
    ['a read of any property', { type: 'GET', path: ['ping', 'constructor'] }],
    ['a prototype-polluting write', { type: 'SET', path: ['__proto__', 'mtls'], value: { type: 'RAW', value: 1 } }],
    ['a constructor call', { type: 'CONSTRUCT', path: ['ping', 'constructor'], argumentList: [] }],
    ['an unknown method', { type: 'APPLY', path: ['eval'], argumentList: [] }],
    ['a nested path', { type: 'APPLY', path: ['ping', 'call'], argumentList: [] }],
    ['a proxied argument', { type: 'APPLY', path: ['ping'], argumentList: [{ type: 'HANDLER', name: 'proxy' }] }],
    ['an endpoint request', { type: 'ENDPOINT' }],
  ])('refuses %s with config_error', async (_, message) => {
    const worker = guarded()
    close = worker.close
    expect(await worker.send(message)).toMatchObject(refused)
    expect(worker.calls).toEqual([])
    expect(({} as Record<string, unknown>).mtls).toBeUndefined()
  })
})
