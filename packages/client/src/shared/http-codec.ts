/**
 * Carries a `fetch` call across the worker boundary and its answer back, without copying bodies:
 * buffers and streams are transferred.
 */
import { receiveStream, sendStream } from './stream-bridge'
import type { WireRequest, WireResponse } from './wire'

export interface Encoded<T> {
  readonly value: T
  readonly transfer: Transferable[]
}

/** Statuses whose responses have no body (Fetch §2.2.3 null body status; `fetch` never returns 101 or 103). */
const NULL_BODY_STATUSES = new Set([204, 205, 304])

/**
 * Encodes what `fetch(input, init)` would send. A `ReadableStream` body stays a stream (streaming
 * upload); any other body is read into one `ArrayBuffer`, with the `content-type` the Request
 * constructor derived (FormData boundary, Blob type, text/plain for strings, URLSearchParams).
 */
export async function encodeRequest(
  id: number,
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  abortable: boolean,
): Promise<Encoded<WireRequest>> {
  const request = new Request(input, init)
  let body: WireRequest['body'] = null
  if (request.body !== null) {
    body = init?.body instanceof ReadableStream ? init.body : await request.arrayBuffer()
  }
  const value: WireRequest = {
    id,
    url: request.url,
    method: request.method,
    headers: [...request.headers],
    body,
    mode: request.mode,
    credentials: request.credentials,
    cache: request.cache,
    redirect: request.redirect,
    integrity: request.integrity,
    keepalive: request.keepalive,
    referrerPolicy: request.referrerPolicy,
    abortable,
  }
  return { value, transfer: body ? [body] : [] }
}

/** The `RequestInit` for the worker's own `fetch` of a {@link WireRequest}. */
export function decodeRequest(wire: WireRequest): RequestInit & { duplex?: 'half' } {
  return {
    method: wire.method,
    headers: wire.headers,
    body: wire.body,
    ...(wire.body instanceof ReadableStream && { duplex: 'half' as const }),
    // 'navigate' and 'same-origin' from the page mean nothing for a worker's cross-origin call.
    mode: wire.mode === 'navigate' ? 'cors' : wire.mode,
    credentials: wire.credentials,
    cache: wire.cache,
    integrity: wire.integrity,
    keepalive: wire.keepalive,
    referrerPolicy: wire.referrerPolicy,
  }
}

/**
 * Bodies up to this size whose length is known are read in the worker and cross as one transferred
 * buffer: cheaper than setting up a transferred stream for a few kilobytes.
 */
export const SMALL_BODY_BYTES = 64 * 1024

/**
 * Encodes a response for the way back. A small body of known length crosses as one transferred
 * buffer; any other streams over a port (see stream-bridge.ts), read as the page reads it.
 */
export async function encodeResponse(response: Response): Promise<Encoded<WireResponse>> {
  const length = Number(response.headers.get('content-length') ?? NaN)
  let body: WireResponse['body'] = null
  if (response.body !== null) {
    body = length <= SMALL_BODY_BYTES ? await response.arrayBuffer() : sendStream(response.body)
  }
  const value: WireResponse = {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers],
    url: response.url,
    redirected: response.redirected,
    body,
  }
  return { value, transfer: body ? [body] : [] }
}

/**
 * Rebuilds a real `Response` on the page, with the worker's `url` and `redirected`.
 *
 * @param ended aborts if the worker ends; a body still streaming then errors with its reason
 *   instead of waiting forever for chunks that will not come.
 */
export function decodeResponse(wire: WireResponse, ended?: AbortSignal): Response {
  // An opaque redirect (`redirect: 'manual'`) has status 0, which no constructed Response can have.
  if (wire.status === 0) return Response.error()
  let body: BodyInit | null = null
  if (wire.body instanceof MessagePort) {
    const stream = receiveStream(wire.body, ended)
    if (NULL_BODY_STATUSES.has(wire.status)) void stream.cancel()
    else body = stream
  } else if (!NULL_BODY_STATUSES.has(wire.status)) {
    body = wire.body
  }
  const response = new Response(body, {
    status: wire.status,
    statusText: wire.statusText,
    headers: wire.headers,
  })
  Object.defineProperties(response, {
    url: { value: wire.url },
    redirected: { value: wire.redirected },
  })
  return response
}
