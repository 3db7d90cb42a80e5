/**
 * The credentialed request policy: which requests get the session's access token, what happens on
 * a DPoP nonce challenge, a refused token or a redirect, and how a request in flight is aborted.
 */
import * as oauth from 'oauth4webapi'
import { dateOf, serverClocks } from '../protocol/clock-skew'
import { challengeError, stepUpError } from '../protocol/errors'
import { loopbackHttp } from '../protocol/loopback'
import { AuthError } from '../shared/errors'
import { decodeRequest, encodeResponse } from '../shared/http-codec'
import type { WireRequest, WireResponse } from '../shared/wire'
import { withTransfer } from './comlink-server'
import type { AllowedTarget, ApiConfig } from './config'
import type { ActiveSession, Session } from './session'

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

/** A request as the caller made it, with no credentials; it follows redirects if the caller asked. */
export function sendWithoutCredentials(request: ResourceRequest): Promise<Response> {
  return fetch(request.url, { ...request.init, redirect: request.redirect, signal: request.signal })
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
      ...loopbackHttp(url),
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

/**
 * An allowed target answered with a redirect. Browsers hide the `Location` of a manual redirect,
 * so a safe method (RFC 9110 §9.2.1) is sent again as a plain request that may follow it, with no
 * credentials; an unsafe one is not repeated.
 */
export async function followWithoutCredentials(request: ResourceRequest, redirect: Response): Promise<Response> {
  if (request.redirect === 'manual') return redirect
  const method = (request.init.method ?? 'GET').toUpperCase()
  if (request.redirect === 'error' || (method !== 'GET' && method !== 'HEAD')) {
    throw new TypeError('Failed to fetch: a credentialed request was redirected')
  }
  return sendWithoutCredentials(request)
}

/**
 * Sends `request` to an allowed target with the session's credentials, or with `api`'s own token:
 * refreshed (or first obtained) when due; sent once more for a DPoP nonce challenge (RFC 9449 §9),
 * once more for a challenge whose `Date` shows the proof's `iat` was off (RFC 9449 §11.1), and
 * once more, with a refreshed token, for a 401 `invalid_token` (RFC 6750 §3.1), each only when the
 * body can be sent again.
 *
 * @throws AuthError `step_up_required` for a 401 `insufficient_user_authentication` (RFC 9470 §3),
 *   with the challenge's `acrValues` and `maxAge`.
 */
export async function sendAllowed(
  session: Session,
  request: ResourceRequest,
  api: ApiConfig | null = null,
): Promise<Response> {
  let active = await session.active(api)
  let nonceRetried = false
  let clockRetried = false
  let refreshed = false
  for (;;) {
    let response: Response
    try {
      response = await sendWithCredentials(active, request, () => session.isCurrent(active))
    } catch (error) {
      if (!(error instanceof oauth.WWWAuthenticateChallengeError)) throw error
      const replayable = isReplayable(request)
      // A refusal is never a cached answer: its `Date`, when exposed, is the server's clock now.
      const skewed = serverClocks.observe(request.url.origin, dateOf(error.response), Date.now())
      // RFC 9449 §9: the resource server wants a nonce; the handle has cached it.
      if (oauth.isDPoPNonceError(error) && !nonceRetried && replayable) {
        nonceRetried = true
        continue
      }
      // RFC 9449 §11.1: the proof's `iat` was off by the server's clock; one more, dated by it.
      if (skewed && active.dpop && !clockRetried && replayable) {
        clockRetried = true
        continue
      }
      // RFC 6750 §3.1: the token was refused; a refreshed one gets one more try.
      if (error.status === 401 && challengeError(error) === 'invalid_token' && !refreshed && replayable) {
        refreshed = true
        active = await session.refresh(active.tokens.accessToken, api)
        continue
      }
      // RFC 9470 §3: no refresh makes the authentication stronger; the session is kept.
      const stepUp = stepUpError(error)
      if (stepUp) throw stepUp
      response = error.response
    }
    if (response.type !== 'opaqueredirect') return response
    return followWithoutCredentials(request, response)
  }
}

/** The worker's `fetch` and `abort`: one request each, abortable by the id the page gave it. */
export interface ResourceFetcher {
  fetch(wire: WireRequest): Promise<WireResponse>
  abort(id: number): void
}

export interface ResourceFetcherDeps {
  readonly session: Session
  /** The allowed target `url` matches, if any: only those get credentials. */
  readonly targetOf: (url: URL) => AllowedTarget | undefined
}

export function createResourceFetcher(deps: ResourceFetcherDeps): ResourceFetcher {
  /** Requests not yet finished, body included, by the page's id. */
  const inFlight = new Map<number, AbortController>()

  async function toWire(response: Response): Promise<WireResponse> {
    const { value, transfer } = await encodeResponse(response)
    return withTransfer(value, transfer)
  }

  return {
    async fetch(wire) {
      const controller = new AbortController()
      inFlight.set(wire.id, controller)
      const request: ResourceRequest = {
        url: new URL(wire.url),
        init: decodeRequest(wire),
        redirect: wire.redirect,
        signal: controller.signal,
      }
      const target = deps.targetOf(request.url)
      let response: Response
      try {
        response = target ? await sendAllowed(deps.session, request, target.api) : await sendWithoutCredentials(request)
      } catch (error) {
        inFlight.delete(wire.id)
        throw error
      }
      // An abort must still reach a body that is streaming: forget the controller only at its end.
      if (!wire.abortable || response.body === null) {
        inFlight.delete(wire.id)
        return await toWire(response)
      }
      const forget = (): void => void inFlight.delete(wire.id)
      const body = response.body.pipeThrough(new TransformStream({ flush: forget }))
      return await toWire(new Response(body, response))
    },

    abort(id) {
      inFlight.get(id)?.abort(new DOMException('The operation was aborted.', 'AbortError'))
    },
  }
}
