import { describe, expect, it } from 'vitest'
import {
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  SMALL_BODY_BYTES,
} from '../../src/shared/http-codec'
import type { WireRequest, WireResponse } from '../../src/shared/wire'

/** Sends `value` through a real MessageChannel with its transferables, as comlink does. */
async function cross<T>(value: T, transfer: Transferable[]): Promise<T> {
  const { port1, port2 } = new MessageChannel()
  const received = new Promise<T>((resolve) => {
    port2.onmessage = (event: MessageEvent<T>) => resolve(event.data)
  })
  port1.postMessage(value, transfer)
  const data = await received
  port1.close()
  port2.close()
  return data
}

/** Encodes on the "page", crosses, decodes in the "worker" and reads the body back. */
async function roundTrip(input: RequestInfo | URL, init?: RequestInit) {
  const { value, transfer } = await encodeRequest(1, input, init, false)
  const wire = await cross<WireRequest>(value, transfer)
  const request = new Request(wire.url, decodeRequest(wire))
  return { wire, request, text: await request.text(), transferred: transfer }
}

const URL_ = 'https://api.example.com/things?x=1'

describe('request codec', () => {
  it('carries method, URL, headers and mode', async () => {
    const { wire, request } = await roundTrip(URL_, { method: 'put', headers: { 'x-a': '1', accept: 'text/plain' } })
    expect(wire.url).toBe(URL_)
    expect(request.method).toBe('PUT')
    expect(request.headers.get('x-a')).toBe('1')
    expect(request.headers.get('accept')).toBe('text/plain')
    expect(wire.mode).toBe('cors')
  })

  it('resolves a relative URL against the page, like fetch', async () => {
    const { wire } = await roundTrip('/relative?q=1')
    expect(wire.url).toBe(new URL('/relative?q=1', location.href).href)
  })

  it.each<[string, () => BodyInit, string | null, string]>([
    ['a string', () => 'héllo', 'text/plain;charset=UTF-8', 'héllo'],
    [
      'URLSearchParams',
      () => new URLSearchParams({ a: 'b c' }),
      'application/x-www-form-urlencoded;charset=UTF-8',
      'a=b+c',
    ],
    ['a Blob', () => new Blob(['blob'], { type: 'application/x-b' }), 'application/x-b', 'blob'],
    ['an ArrayBuffer', () => new TextEncoder().encode('buffer').buffer, null, 'buffer'],
    ['a typed array view', () => new TextEncoder().encode('xxviewxx').subarray(2, 6), null, 'view'],
  ])('carries %s with its derived content type, transferred', async (_, body, type, text) => {
    const result = await roundTrip(URL_, { method: 'POST', body: body() })
    expect(result.text).toBe(text)
    expect(result.request.headers.get('content-type')).toBe(type)
    expect(result.wire.body).toBeInstanceOf(ArrayBuffer)
    // Transferred, not copied: the sender's buffer is detached.
    expect((result.transferred[0] as ArrayBuffer).byteLength).toBe(0)
  })

  it('carries FormData as multipart with its boundary', async () => {
    const form = new FormData()
    form.append('name', 'value')
    form.append('file', new Blob(['content'], { type: 'text/plain' }), 'f.txt')
    const { request, text } = await roundTrip(URL_, { method: 'POST', body: form })
    const type = request.headers.get('content-type')!
    expect(type).toMatch(/^multipart\/form-data; boundary=/)
    expect(text).toContain(type.split('boundary=')[1])
    expect(text).toContain('content')
  })

  it('keeps a ReadableStream body a stream (streaming upload)', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('chunk 1, '))
        controller.enqueue(new TextEncoder().encode('chunk 2'))
        controller.close()
      },
    })
    const { value, transfer } = await encodeRequest(
      1,
      URL_,
      {
        method: 'POST',
        body: stream,
        duplex: 'half',
      } as RequestInit,
      false,
    )
    const wire = await cross<WireRequest>(value, transfer)
    expect(wire.body).toBeInstanceOf(ReadableStream)
    expect(decodeRequest(wire).duplex).toBe('half')
    expect(await new Response(wire.body).text()).toBe('chunk 1, chunk 2')
  })

  it('reads the body of a Request given as input', async () => {
    const { text, request } = await roundTrip(new Request(URL_, { method: 'POST', body: 'from request' }))
    expect(text).toBe('from request')
    expect(request.method).toBe('POST')
  })
})

describe('response codec', () => {
  it('rebuilds a real Response with status, headers, url and a streaming body', async () => {
    let pulls = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++
        if (pulls > 3) controller.close()
        else controller.enqueue(new Uint8Array(1024).fill(pulls))
      },
    })
    const original = new Response(body, { status: 201, statusText: 'Created', headers: { 'x-b': '2' } })
    const { value, transfer } = await encodeResponse(original)
    expect(transfer).toHaveLength(1)
    const response = decodeResponse(await cross<WireResponse>({ ...value, url: 'https://api.example.com/r' }, transfer))
    expect(response).toBeInstanceOf(Response)
    expect(response.status).toBe(201)
    expect(response.statusText).toBe('Created')
    expect(response.headers.get('x-b')).toBe('2')
    expect(response.url).toBe('https://api.example.com/r')
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect(bytes.byteLength).toBe(3072)
    expect([bytes[0], bytes[1024], bytes[2048]]).toEqual([1, 2, 3])
  })

  it('sends a small body of known length as one transferred buffer', async () => {
    const original = new Response('{"small":true}', { headers: { 'content-length': '14' } })
    const { value, transfer } = await encodeResponse(original)
    expect(value.body).toBeInstanceOf(ArrayBuffer)
    expect(transfer).toEqual([value.body])
    const response = decodeResponse(await cross<WireResponse>(value, transfer))
    expect(await response.json()).toEqual({ small: true })
  })

  it('streams a body over the small size even when its length is known', async () => {
    const big = new Uint8Array(SMALL_BODY_BYTES + 1)
    const { value } = await encodeResponse(new Response(big, { headers: { 'content-length': String(big.byteLength) } }))
    expect(value.body).toBeInstanceOf(MessagePort)
  })

  it('gives null-body statuses a null body', async () => {
    const { value, transfer } = await encodeResponse(new Response(null, { status: 204 }))
    const response = decodeResponse(await cross<WireResponse>(value, transfer))
    expect(response.status).toBe(204)
    expect(response.body).toBeNull()
  })
})
