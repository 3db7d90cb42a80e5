import { describe, expect, it } from 'vitest'
import { receiveStream, sendStream, WINDOW_BYTES } from '../../src/shared/stream-bridge'

function source(chunks: number, size: number, onPull?: (n: number) => void): ReadableStream<Uint8Array> {
  let n = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      onPull?.(n)
      if (n === chunks) return controller.close()
      controller.enqueue(new Uint8Array(size).fill(n++ & 0xff))
    },
  })
}

describe('stream bridge', () => {
  it('delivers every byte in order, transferring the buffers', async () => {
    const body = receiveStream(sendStream(source(40, 100_000)))
    const bytes = new Uint8Array(await new Response(body).arrayBuffer())
    expect(bytes.byteLength).toBe(4_000_000)
    expect([bytes[0], bytes[100_000], bytes[3_999_999]]).toEqual([0, 1, 39])
  })

  it("detaches the sender's buffers: each chunk is transferred, not copied", async () => {
    const sent: Uint8Array[] = []
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent.length === 3) return controller.close()
        const chunk = new Uint8Array(1024).fill(sent.length + 1)
        sent.push(chunk)
        controller.enqueue(chunk)
      },
    })
    const bytes = new Uint8Array(await new Response(receiveStream(sendStream(stream))).arrayBuffer())
    expect(bytes.byteLength).toBe(3 * 1024)
    expect([bytes[0], bytes[1024], bytes[2047], bytes[3071]]).toEqual([1, 2, 2, 3])
    expect(sent.map((chunk) => chunk.buffer.byteLength)).toEqual([0, 0, 0])
  })

  it('holds the sender back when the page does not read', async () => {
    let pulled = 0
    const body = receiveStream(sendStream(source(1000, 64 * 1024, (n) => (pulled = n))))
    await new Promise((resolve) => setTimeout(resolve, 200))
    // The window plus the receiver's queue, not the whole 64 MB.
    expect(pulled * 64 * 1024).toBeLessThanOrEqual(2 * WINDOW_BYTES + 2 * 64 * 1024)
    const reader = body.getReader()
    await reader.read()
    await reader.cancel()
  })

  it('keeps an abort an AbortError', async () => {
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([1]))
        controller.error(new DOMException('stop', 'AbortError'))
      },
    })
    const reader = receiveStream(sendStream(failing)).getReader()
    const error = await (async () => {
      for (;;) await reader.read()
    })().catch((e: unknown) => e)
    expect((error as DOMException).name).toBe('AbortError')
  })

  it('errors the body with the reason when the worker ends', async () => {
    const never = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) })
    const ended = new AbortController()
    const reader = receiveStream(sendStream(never), ended.signal).getReader()
    const read = reader.read()
    ended.abort(new Error('worker gone'))
    await expect(read).rejects.toThrow('worker gone')
  })

  it('tells the sender when the page cancels', async () => {
    let cancelled = false
    const stream = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new Uint8Array(1024)),
      cancel: () => void (cancelled = true),
    })
    const reader = receiveStream(sendStream(stream)).getReader()
    await reader.read()
    await reader.cancel()
    await expect.poll(() => cancelled).toBe(true)
  })
})
