// The order of these imports is the order of the modules in an app's bundle, which moves its gzip
// size by a few bytes (scripts/check-size.js).
import { claimTrustedTypesPolicy, defaultWorker, onDemand } from './default-worker'
import { createAllowlist } from '../shared/allowlist'
import { isCallbackUrl } from '../shared/callback-url'
import { AuthError } from '../shared/errors'
import { decodeResponse, encodeRequest } from '../shared/http-codec'
import type { AuthClient, AuthClientOptions, AuthState, RedirectResult } from '../shared/types'
import type { WireOptions } from '../shared/wire'
import { navigate } from './navigation'
import { requestSignal, unlessAborted } from './abort'
import { connectWorker } from './worker-connection'
import { transfer } from './comlink-client'

/**
 * Creates the client and starts its worker, which reads the stored session. Synchronous; nothing
 * goes over the network until first needed. Call `close()` on a client you discard: its worker
 * lives until then.
 *
 * The worker validates the options (it trusts nothing from the page): with an invalid one, every
 * call rejects with a `config_error` that names it. The page checks only what it uses itself.
 *
 * @example
 * ```ts
 * const auth = createAuthClient({
 *   issuer: 'https://id.example.com',
 *   clientId: 'my-spa',
 *   redirectUri: `${location.origin}/callback`,
 *   allowedOrigins: ['https://api.example.com/v1/'],
 * })
 * if (auth.isRedirectCallback()) await auth.handleRedirectCallback()
 * const orders = await (await auth.fetch('https://api.example.com/v1/orders')).json()
 * ```
 *
 * For production, pin the configuration in a worker file of your own (`serveAuthWorker` from
 * `@oauth-enclave/client/worker`) and pass it as `worker`.
 *
 * Browser only: on a server (server rendering, a prerender, a Node test without a DOM) it throws,
 * where importing the package does nothing. Create the client in the browser, such as in a factory
 * given to a framework adapter's provider.
 *
 * @throws AuthError `config_error` when called outside a browser (no `window`), when an
 *   `allowedOrigins` entry is not an absolute URL, or the options are not plain data
 *   (structured-cloneable).
 * @see RFC 6749 §4.1 (Authorization Code Grant), RFC 7636 (PKCE), RFC 9449 (DPoP)
 */
export function createAuthClient(options: AuthClientOptions): AuthClient {
  if (typeof window === 'undefined') {
    throw new AuthError('config_error', 'browser only')
  }
  claimTrustedTypesPolicy()
  const { worker, ...settings } = options
  let wire: WireOptions
  let isAllowed: (url: string | URL) => boolean
  try {
    // A copy: every worker this client starts gets exactly the options checked here, whatever
    // happens to the caller's objects afterwards.
    wire = structuredClone(settings)
    // The worker holds the same allowlist, built from the validated entries: the page's decides only
    // which requests go to the worker, which attaches credentials only for its own.
    isAllowed = createAllowlist(wire.allowedOrigins ?? [])
  } catch {
    throw new AuthError('config_error', 'options must be plain data')
  }
  const listeners = new Set<(state: AuthState) => void>()
  // The `worker` option's, else the package's own, called with no arguments: `defaultWorker`'s
  // parameter keeps its default.
  const createWorker = typeof worker === 'function' ? worker : worker ? () => worker : defaultWorker
  const connection = connectWorker(createWorker, wire, (state) => {
    for (const listener of listeners) {
      try {
        listener(state)
      } catch (error) {
        // A listener's failure is its own (reported as uncaught); the others still run.
        reportError(error)
      }
    }
  })
  // Only with the option does the page load its activity watch (activity.ts, in the on-demand chunk).
  if (wire.idleTimeoutSeconds) {
    void onDemand().then((m) => m.watchActivity(connection, wire.idleTimeoutSeconds))
  }
  const callbacks = new Map<string, Promise<RedirectResult>>()
  let nextRequestId = 0

  async function authFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    // Not an allowed target: a plain fetch from the page, no worker hop, no credentials.
    if (!isAllowed(input instanceof Request ? input.url : new URL(input as string | URL, location.href))) {
      return fetch(input, init)
    }
    const signal = requestSignal(input, init)
    const { value, transfer: transferables } = await encodeRequest(nextRequestId++, input, init, !!signal)
    // After reading the body: an abort meanwhile must stop the request before it reaches the worker.
    signal?.throwIfAborted()
    const response = connection.call(async (api, ended) =>
      decodeResponse(await api.fetch(transfer(value, transferables)), ended),
    )
    if (!signal) return response
    // Kept after the response arrives: an abort must also stop a body that is still streaming. A
    // signal aborts only once, so the listener runs at most once.
    signal.addEventListener('abort', () => void connection.call((api) => api.abort(value.id)).catch(() => {}))
    // Like plain fetch, the call rejects with the signal's reason as soon as it aborts.
    return unlessAborted(response, signal)
  }

  /**
   * `returnTo` resolved against the page, or `null` when absent. The worker refuses it, with a
   * `config_error`, when it is off the page's origin.
   */
  function resolveReturnTo(value: string | undefined): string | null {
    if (value == null) return null
    try {
      return new URL(value, location.href).href
    } catch {
      throw new AuthError('config_error', 'returnTo must be a URL')
    }
  }

  const client: AuthClient = {
    async login(opts = {}) {
      const returnTo = resolveReturnTo(opts.returnTo)
      const { url } = await connection.call((api) => api.startLogin({ ...opts, returnTo }))
      navigate(url)
    },

    loginWithPopup(opts) {
      // Opened before anything is awaited, while the click's user activation lasts.
      const popup = open('', '_blank', 'popup,width=500,height=600')
      return onDemand().then((m) => m.loginInPopup(popup, opts, connection.call, AuthError, resolveReturnTo))
    },

    isRedirectCallback(url = location.href) {
      try {
        return isCallbackUrl(new URL(url, location.href), wire.redirectUri)
      } catch {
        return false
      }
    },

    handleRedirectCallback(url = location.href) {
      const href = new URL(url, location.href).href
      return onDemand().then((m) => m.completeRedirect(href, connection.call, callbacks, AuthError))
    },

    isAuthenticated: () => client.getState().then((state) => state.authenticated),

    getUser: () => client.getState().then((state) => state.user),

    getState() {
      return connection.call((api) => api.getState(), { idempotent: true })
    },

    fetch: authFetch,

    async logout(opts = {}) {
      const returnTo = resolveReturnTo(opts.returnTo)
      const { url, ...result } = await connection.call((api) => api.logout({ ...opts, returnTo }))
      navigate(url)
      return result
    },

    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },

    close: connection.close,
  }
  return client
}
