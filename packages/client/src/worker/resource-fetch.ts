import * as oauth from 'oauth4webapi'
import { isLoopbackHost } from '../shared/config'
import { AuthError } from '../shared/errors'
import type { ActiveSession } from './session'

export interface ResourceRequest {
  readonly url: URL
  readonly init: RequestInit & { duplex?: 'half' }
  /** What the caller asked for; credentials never follow a redirect whatever it says. */
  readonly redirect: RequestRedirect
  readonly signal: AbortSignal
}

/** Whether the body can be sent again: a consumed stream cannot. */
export function isReplayable(request: ResourceRequest): boolean {
  return !(request.init.body instanceof ReadableStream)
}

/** The WWW-Authenticate `error` a 401 carried, e.g. `invalid_token` (RFC 6750 §3.1, RFC 9449 §7.1). */
export function challengeError(error: unknown): string | undefined {
  if (!(error instanceof oauth.WWWAuthenticateChallengeError)) return undefined
  return error.cause.find((challenge) => challenge.parameters.error)?.parameters.error
}

/**
 * Sends `request` with the session's access token: `Authorization: DPoP` plus a proof with `ath`
 * (RFC 9449 §7.1), or `Authorization: Bearer` (RFC 6750 §2.1). Redirects are not followed with
 * credentials: the answer to a redirect is an opaque redirect for the caller to handle.
 *
 * @param stillCurrent checked right before sending; `false` rejects with `login_required`.
 * @returns the response; a response carrying a challenge rejects with oauth4webapi's
 *   `WWWAuthenticateChallengeError`, which holds it.
 */
export async function sendWithCredentials(
  session: ActiveSession,
  request: ResourceRequest,
  stillCurrent: () => boolean,
): Promise<Response> {
  const { url, init } = request
  return oauth.protectedResourceRequest(
    session.tokens.accessToken,
    init.method ?? 'GET',
    url,
    new Headers(init.headers),
    (init.body ?? null) as oauth.ProtectedResourceRequestBody,
    {
      ...(session.dpop && { DPoP: session.dpop }),
      signal: request.signal,
      ...(url.protocol === 'http:' && isLoopbackHost(url.hostname) && { [oauth.allowInsecureRequests]: true }),
      [oauth.customFetch]: (href, options) => {
        // Checked in the same task that sends: a logout in another tab may have landed meanwhile.
        if (!stillCurrent()) return Promise.reject(new AuthError('login_required', 'the session has ended'))
        return fetch(href, {
          ...init,
          ...options,
          body: init.body ?? null,
          // Whatever the caller asked: a credentialed request must not be re-sent elsewhere.
          redirect: 'manual',
        } as RequestInit)
      },
    },
  )
}
