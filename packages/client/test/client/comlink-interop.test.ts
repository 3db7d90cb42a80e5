import * as Comlink from 'comlink'
import { afterEach, describe, expect, it } from 'vitest'
import { proxy, transfer, wrap } from '../../src/client/comlink-client'

/**
 * The page's client against comlink itself (4.4.2, a test dependency only): the worker's side of the
 * wire stays comlink's protocol, so a worker exposed with `Comlink.expose` answers the page's calls.
 */
interface Api {
  echo(...args: unknown[]): Promise<unknown>
  size(buffer: ArrayBuffer): Promise<number>
  init(options: unknown, listener: (state: unknown) => void): Promise<string>
}

let close: () => void = () => {}
afterEach(() => close())

describe('comlink client against comlink', () => {
  it('calls a Comlink.expose-d API: values, transfers and a proxied listener', async () => {
    const { port1, port2 } = new MessageChannel()
    close = () => (port1.close(), port2.close())
    Comlink.expose(
      {
        echo: (...args: unknown[]) => args,
        size: (buffer: ArrayBuffer) => buffer.byteLength,
        // The worker calls its listener without awaiting it, as comlink-server.ts does.
        init: (_options: unknown, listener: (state: unknown) => Promise<void>) => {
          void listener({ status: 'ready' })
          return 'started'
        },
      },
      port1,
    )
    const api = wrap<Api>(port2)
    // A Worker delivers at once; a port's listeners wait for start().
    port2.start()
    expect(await api.echo(1, { a: [2] }, 'x')).toEqual([1, { a: [2] }, 'x'])

    const buffer = new ArrayBuffer(8)
    expect(await api.size(transfer(buffer, [buffer]))).toBe(8)
    expect(buffer.byteLength).toBe(0)

    const heard: unknown[] = []
    expect(
      await api.init(
        {},
        proxy((state: unknown) => void heard.push(state)),
      ),
    ).toBe('started')
    await expect.poll(() => heard).toEqual([{ status: 'ready' }])
  })
})
