/**
 * Carries a `fetch` call across the worker boundary and its answer back, without copying bodies:
 * buffers and streams are transferred.
 */
import type { WireRequest, WireResponse } from './wire'

export interface Encoded<T> {
  readonly value: T
  readonly transfer: Transferable[]
}

/** Statuses whose responses have no body (Fetch §2.2.3 null body status). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304])

/**
 * Encodes what `fetch(input, init)` would send. A `ReadableStream` body stays a stream (streaming
 * upload); any other body is read into one `ArrayBuffer`, with the `content-type` the Request
 * constructor derived (FormData boundary, Blob type, text/plain for strings, URLSearchParams).
 */
export async function encodeRequest(
  id: number,
  input: RequestInfo | URL,
  init: RequestInit | undefined,
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
    abortable: init?.signal != null || (input instanceof Request && init?.signal === undefined),
  }
  return { value, transfer: body === null ? [] : [body] }
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

/** Encodes a response for the way back; its body stream is transferred, not read. */
export function encodeResponse(response: Response): Encoded<WireResponse> {
  const body = response.body
  const value: WireResponse = {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers],
    url: response.url,
    redirected: response.redirected,
    body,
  }
  return { value, transfer: body === null ? [] : [body] }
}

/**
 * Rebuilds a real `Response` on the page, with the worker's `url` and `redirected`.
 *
 * @param ended rejects if the worker ends; a body still streaming then errors with that reason
 *   instead of waiting forever for chunks that will not come.
 */
export function decodeResponse(wire: WireResponse, ended?: Promise<never>): Response {
  let body = NULL_BODY_STATUSES.has(wire.status) ? null : wire.body
  if (body === null) void wire.body?.cancel()
  if (body !== null && ended) {
    const relay = new TransformStream<Uint8Array, Uint8Array>()
    const stop = new AbortController()
    body.pipeTo(relay.writable, { signal: stop.signal }).catch(() => undefined)
    ended.catch((reason: unknown) => stop.abort(reason))
    body = relay.readable
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
