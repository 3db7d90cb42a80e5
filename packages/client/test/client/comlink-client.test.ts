import { afterEach, describe, expect, it } from 'vitest'
import { proxy, transfer, wrap } from '../../src/client/comlink-client'
import { AuthError } from '../../src/shared/errors'

interface Api {
  echo(...args: unknown[]): Promise<unknown>
  init(options: unknown, listener: (state: unknown) => void): Promise<void>
}

/** The client on one end of a channel; the other end, raw, records what it receives. */
function client() {
  const { port1, port2 } = new MessageChannel()
  const received: { data: Record<string, unknown>; ports: readonly MessagePort[] }[] = []
  port1.onmessage = (event) => received.push({ data: event.data as Record<string, unknown>, ports: event.ports })
  port2.start()
  const message = async () => {
    await expect.poll(() => received.length).toBeGreaterThan(0)
    return received.shift()!
  }
  return { api: wrap<Api>(port2), worker: port1, message, close: () => (port1.close(), port2.close()) }
}

let close: () => void = () => {}
afterEach(() => close())

describe('comlink client', () => {
  it("posts a comlink APPLY of the method with RAW arguments and settles with the worker's RAW answer", async () => {
    const side = client()
    close = side.close
    const answer = side.api.echo(1, { a: [2] })
    const { data } = await side.message()
    expect(data).toEqual({
      id: data.id,
      type: 'APPLY',
      path: ['echo'],
      argumentList: [
        { type: 'RAW', value: 1 },
        { type: 'RAW', value: { a: [2] } },
      ],
    })
    side.worker.postMessage({ id: data.id, type: 'RAW', value: 'pong' })
    expect(await answer).toBe('pong')
  })

  it('matches answers to calls by id, and ignores an answer to no call', async () => {
    const side = client()
    close = side.close
    const first = side.api.echo('first')
    const second = side.api.echo('second')
    const [a, b] = [await side.message(), await side.message()]
    side.worker.postMessage({ id: 'nobody', type: 'RAW', value: 'stray' })
    side.worker.postMessage({ id: b.data.id, type: 'RAW', value: 'to second' })
    side.worker.postMessage({ id: a.data.id, type: 'RAW', value: 'to first' })
    expect(await Promise.all([first, second])).toEqual(['to first', 'to second'])
  })

  it("rejects with the AuthError the throw handler's value names, code and details kept", async () => {
    const side = client()
    close = side.close
    const answer = side.api.echo()
    const { data } = await side.message()
    side.worker.postMessage({
      id: data.id,
      type: 'HANDLER',
      name: 'throw',
      value: { kind: 'auth', code: 'token_error', message: 'refused', details: { oauthError: 'invalid_grant' } },
    })
    const error = await answer.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    expect(error).toMatchObject({ code: 'token_error', message: 'refused', oauthError: 'invalid_grant' })
  })

  it('transfers what transfer() marked, instead of copying it', async () => {
    const side = client()
    close = side.close
    const body = new ArrayBuffer(8)
    void side.api.echo(transfer({ body }, [body]))
    const { data } = await side.message()
    expect(body.byteLength).toBe(0)
    expect((data.argumentList as [{ value: { body: ArrayBuffer } }])[0].value.body.byteLength).toBe(8)
  })

  it("sends a listener as comlink's proxy handler: a transferred port whose APPLY calls it", async () => {
    const side = client()
    close = side.close
    const states: unknown[] = []
    void side.api.init(
      {},
      proxy((state) => void states.push(state)),
    )
    const { data, ports } = await side.message()
    const [, listener] = data.argumentList as [unknown, { type: string; name: string; value: MessagePort }]
    expect(listener).toMatchObject({ type: 'HANDLER', name: 'proxy' })
    expect(ports).toEqual([listener.value])
    listener.value.postMessage({
      id: 'x',
      type: 'APPLY',
      path: [],
      argumentList: [{ type: 'RAW', value: 'signed in' }],
    })
    await expect.poll(() => states).toEqual(['signed in'])
  })

  it('is no thenable: awaiting the API posts nothing', async () => {
    const side = client()
    close = side.close
    expect(await Promise.resolve(side.api)).toBe(side.api)
    void side.api.echo('after')
    expect((await side.message()).data.path).toEqual(['echo'])
  })
})
