import {
  HttpErrorResponse,
  HttpEventType,
  HttpHeaders,
  HttpResponse,
  type HttpEvent,
  type HttpRequest,
} from '@angular/common/http'

// Angular's own backends strip it from JSON bodies: a guard against JSON hijacking.
const XSSI_PREFIX = /^\)\]\}',?\n/

/**
 * The `fetch` arguments for an Angular request, as Angular's `FetchBackend` builds them: its
 * headers, the body serialised, `Content-Type` detected when unset, and the `fetch` options it
 * carries.
 */
export function toFetchArguments(request: HttpRequest<unknown>, signal: AbortSignal): [string, RequestInit] {
  const headers = new Headers()
  for (const name of request.headers.keys()) headers.set(name, request.headers.getAll(name)!.join(','))
  if (!headers.has('Accept')) headers.set('Accept', 'application/json, text/plain, */*')
  const detected = request.detectContentTypeHeader()
  if (!headers.has('Content-Type') && detected !== null) headers.set('Content-Type', detected)
  const init: RequestInit = {
    method: request.method,
    headers,
    body: request.serializeBody(),
    signal,
    credentials: request.withCredentials ? 'include' : request.credentials,
    keepalive: request.keepalive,
    cache: request.cache,
    mode: request.mode,
    redirect: request.redirect,
    referrer: request.referrer,
    referrerPolicy: request.referrerPolicy,
    integrity: request.integrity,
    priority: request.priority,
  }
  // Fields the request does not set stay the browser's defaults.
  for (const key of Object.keys(init) as (keyof RequestInit)[]) if (init[key] === undefined) delete init[key]
  return [request.urlWithParams, init]
}

async function readBody(request: HttpRequest<unknown>, response: Response): Promise<unknown> {
  switch (request.responseType) {
    case 'json': {
      const text = (await response.text()).replace(XSSI_PREFIX, '')
      if (text === '') return null
      try {
        return JSON.parse(text) as unknown
      } catch (thrown) {
        // An error body need not be JSON: Angular then gives the text.
        if (!response.ok) return text
        throw thrown
      }
    }
    case 'text':
      return response.text()
    case 'blob':
      return response.blob()
    case 'arraybuffer':
      return response.arrayBuffer()
  }
}

/**
 * Angular's events for a `fetch` response: an `HttpResponse` for a 2xx, else an
 * `HttpErrorResponse` thrown, as Angular's `FetchBackend` makes them.
 */
export async function toHttpResponse(request: HttpRequest<unknown>, response: Response): Promise<HttpEvent<unknown>> {
  const init = {
    headers: new HttpHeaders(response.headers),
    status: response.status,
    statusText: response.statusText,
    url: response.url || request.urlWithParams,
    redirected: response.redirected,
  }
  let body: unknown
  try {
    body = await readBody(request, response)
  } catch (error) {
    throw new HttpErrorResponse({ ...init, error })
  }
  if (!response.ok) throw new HttpErrorResponse({ ...init, error: body })
  return new HttpResponse({ ...init, body })
}

/** What an interceptor emits first once the request has gone out. */
export const SENT: HttpEvent<never> = { type: HttpEventType.Sent }

/** A failure before any response (an `AuthError`, a network error): status 0, the cause in `error`. */
export function toHttpFailure(request: HttpRequest<unknown>, error: unknown): HttpErrorResponse {
  return new HttpErrorResponse({ error, status: 0, url: request.urlWithParams })
}
