import type { HttpEvent, HttpInterceptorFn } from '@angular/common/http'
import { inject } from '@angular/core'
import { Observable } from 'rxjs'
import { injectAuth } from './auth-service.js'
import { SENT, toFetchArguments, toHttpFailure, toHttpResponse } from './http-bridge.js'
import { INTERCEPTED_TARGETS } from './provide-auth.js'

/**
 * Sends `HttpClient` requests to the targets of {@link ProvideAuthOptions.allowedOrigins} through the
 * client's `fetch`, which attaches the credentials in the worker: the token never reaches the
 * `HttpRequest`, its headers or any interceptor. Requests anywhere else go on to the next
 * interceptor untouched. A routed request does not reach the interceptors after this one nor
 * Angular's backend: list it last. A 2xx is an `HttpResponse`, another status an
 * `HttpErrorResponse`; a request that fails before any answer (`auth.fetch` rejects) is an
 * `HttpErrorResponse` with status 0 and the `AuthError` in `error`. Unsubscribing aborts the request.
 * Progress events are not reported.
 *
 * @example
 * ```ts
 * provideHttpClient(withInterceptors([authInterceptor]))
 * ```
 *
 * @see RFC 9449 §7 (DPoP-bound access tokens), RFC 6750 §2.1 (Bearer)
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  if (!inject(INTERCEPTED_TARGETS, { optional: true })?.(request.urlWithParams)) return next(request)
  const auth = injectAuth()
  return new Observable<HttpEvent<unknown>>((subscriber) => {
    const abort = new AbortController()
    let settled = false
    subscriber.next(SENT)
    auth
      .fetch(...toFetchArguments(request, abort.signal))
      .then(
        (response) => toHttpResponse(request, response),
        (thrown: unknown) => Promise.reject(toHttpFailure(request, thrown)),
      )
      .then(
        (event) => {
          settled = true
          subscriber.next(event)
          subscriber.complete()
        },
        (failure: unknown) => {
          settled = true
          subscriber.error(failure)
        },
      )
    return () => {
      if (!settled) abort.abort()
    }
  })
}
