import * as oauth from 'oauth4webapi'
import { discover } from '../protocol/discovery'
import { providerSupportsDPoP } from '../protocol/dpop'
import { endSessionUrl } from '../protocol/end-session'
import { publicClient, type ProviderContext } from '../protocol/provider'
import { revokeToken } from '../protocol/revocation'
import { createAllowlist } from '../shared/allowlist'
import { VERSION } from '../shared/version'
import { isCallbackUrl } from '../shared/callback-url'
import { resolveConfig, type ResolvedConfig } from '../shared/config'
import { AuthError, isAuthError } from '../shared/errors'
import { decodeRequest, encodeResponse } from '../shared/http-codec'
import type { AuthState, Persistence } from '../shared/types'
import type { LogoutResult, StateListener, WireOptions, WireRequest, WireResponse, WorkerApi } from '../shared/wire'
import { transfer } from './comlink-server'
import { completeLogin, startLogin } from './login'
import { withRefreshLock } from './refresh-lock'
import { challengeError, isReplayable, sendWithCredentials, type ResourceRequest } from './resource-fetch'
import { createSession, type Session } from './session'
import { createSessionHold, NO_SESSION_HOLD } from './session-hold'
import { createTabSync, NO_TAB_SYNC } from './tab-sync'
import { createIndexedDbVault, createMemoryVault, indexedDbUsable, type Vault } from './vault'

/** Everything fixed by `init`. Lives in this closure only: nothing on the exposed object. */
interface Configured {
  readonly config: ResolvedConfig
  /** What is in effect: `memory` when IndexedDB is unusable, whatever was asked. */
  readonly persistence: Persistence
  /** Whether IndexedDB works here. */
  readonly storable: boolean
  readonly isAllowed: (url: string | URL) => boolean
  readonly provider: () => Promise<ProviderContext>
  readonly transactions: Vault
  readonly session: Session
}

export interface WorkerEnvironment {
  /** The worker's own origin: the page's, for a dedicated worker. */
  readonly origin: string
  readonly now: () => number
  /**
   * Whether IndexedDB works here ({@link indexedDbUsable}), when already being found out: the
   * worker starts the probe before `init` arrives. Probed during `init` otherwise.
   */
  readonly indexedDb?: Promise<boolean>
}

/**
 * Takes a Web Lock this worker never releases: the browser frees it when the worker ends, which is
 * how the page learns that the worker was terminated or crashed.
 */
async function holdForLife(): Promise<string | null> {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks
  if (!locks) return null
  const name = `oauth-enclave:worker ${crypto.randomUUID()}`
  await new Promise<void>((granted) => {
    void locks.request(name, () => {
      granted()
      return new Promise<never>(() => {})
    })
  })
  return name
}

function bareFetch(request: ResourceRequest): Promise<Response> {
  return fetch(request.url, { ...request.init, redirect: request.redirect, signal: request.signal })
}

/**
 * The worker's API. Configuration is pinned by the first `init`; the token endpoint and the
 * allowed targets come from it and the provider's metadata, and no later message can change them
 * (the lesson of auth0-spa-js#1566).
 */
export function createWorkerApi(env: WorkerEnvironment): WorkerApi {
  /** Set by the first `init`, in the task that receives it: later calls wait for it. */
  let configured: Promise<Configured> | undefined
  const inFlight = new Map<number, AbortController>()

  /** The configuration; calls that arrive while `init` is still running wait for it. */
  async function need(): Promise<Configured> {
    if (!configured) throw new AuthError('config_error', 'the worker is not initialised')
    return configured
  }

  function memoProvider(config: ResolvedConfig): () => Promise<ProviderContext> {
    let pending: Promise<ProviderContext> | undefined
    return () => {
      pending ??= discover(config.issuer, config.clientId, config.providerTimeoutMs).catch((error: unknown) => {
        pending = undefined
        throw error
      })
      return pending
    }
  }

  async function useDPoP(c: Configured): Promise<boolean> {
    const supported = providerSupportsDPoP(await c.provider())
    if (c.config.dpop === true && !supported) {
      throw new AuthError('config_error', 'dpop is on but the provider does not advertise DPoP (RFC 9449 §5.1)')
    }
    return c.config.dpop ?? supported
  }

  /** The credentialed path: refresh first when due, one retry for a DPoP nonce or a stale token. */
  async function sendAllowed(c: Configured, request: ResourceRequest): Promise<Response> {
    let session = await c.session.active()
    let nonceRetried = false
    let refreshed = false
    for (;;) {
      let response: Response
      try {
        response = await sendWithCredentials(session, request, () => c.session.isCurrent(session))
      } catch (error) {
        if (!(error instanceof oauth.WWWAuthenticateChallengeError)) throw error
        const replayable = isReplayable(request)
        // RFC 9449 §9: the resource server wants a nonce; the handle has cached it.
        if (oauth.isDPoPNonceError(error) && !nonceRetried && replayable) {
          nonceRetried = true
          continue
        }
        // RFC 6750 §3.1: the token was refused; a refreshed one gets one more try.
        if (error.status === 401 && challengeError(error) === 'invalid_token' && !refreshed && replayable) {
          refreshed = true
          session = await c.session.refresh(session.tokens.accessToken)
          continue
        }
        response = error.response
      }
      if (response.type !== 'opaqueredirect') return response
      return followWithoutCredentials(request, response)
    }
  }

  /**
   * An allowed target answered with a redirect. Browsers hide the `Location` of a manual redirect,
   * so a safe method (RFC 9110 §9.2.1) is sent again as a plain request that may follow it, with no
   * credentials; an unsafe one is not repeated.
   */
  async function followWithoutCredentials(request: ResourceRequest, redirect: Response): Promise<Response> {
    if (request.redirect === 'manual') return redirect
    const method = (request.init.method ?? 'GET').toUpperCase()
    if (request.redirect === 'error' || (method !== 'GET' && method !== 'HEAD')) {
      throw new TypeError('Failed to fetch: a credentialed request was redirected')
    }
    return bareFetch(request)
  }

  async function toWire(response: Response): Promise<WireResponse> {
    const { value, transfer: transferables } = await encodeResponse(response)
    return transfer(value, transferables)
  }

  /** Validates the page's configuration and builds everything that depends on it. */
  async function configure(options: WireOptions, onState: StateListener): Promise<Configured> {
    // The page is not trusted: its options are validated here, and only here.
    const config = resolveConfig(options, env.origin)
    // Some private modes block IndexedDB: the client then keeps everything in worker memory.
    const storable = await (env.indexedDb ?? indexedDbUsable())
    const persistence: Persistence = storable ? config.persistence : 'memory'
    if (!storable) {
      console.warn('oauth-enclave: IndexedDB is unavailable; the session lives in worker memory only')
    }
    const transactions = storable ? createIndexedDbVault(config.issuer, config.clientId) : createMemoryVault()
    const shared = persistence === 'indexeddb'
    const channelName = `oauth-enclave:${config.issuer} ${config.clientId}`
    const emit = (state: AuthState): void => {
      // Whatever the page's listener does, the session code that emits goes on.
      try {
        onState({ ...state, persistence })
      } catch {
        // nothing to do: the page is told nothing more
      }
    }
    const provider = memoProvider(config)
    const tabs = shared ? createTabSync(channelName, (message) => void session.onTabMessage(message)) : NO_TAB_SYNC
    const hold = shared ? createSessionHold(`${channelName} hold`, () => session.onHoldLost()) : NO_SESSION_HOLD
    const session: Session = createSession({
      vault: shared ? transactions : createMemoryVault(),
      shared,
      provider,
      client: publicClient(config.clientId).client,
      leewayMs: config.refreshLeewaySeconds * 1000,
      now: env.now,
      emit,
      withLock: (task) => withRefreshLock(channelName, task),
      broadcast: (message) => tabs.post(message),
      hold,
    })
    const c: Configured = {
      config,
      persistence,
      storable,
      isAllowed: createAllowlist(config.allowedOrigins),
      provider,
      transactions,
      session,
    }
    if (!storable) emit(await session.state())
    // Reading and decrypting the stored session needs no network: start it now, so that the first
    // call after a page load does not wait for it.
    else void session.state().catch(() => undefined)
    return c
  }

  const api: WorkerApi = {
    async init(options, onState: StateListener, version) {
      if (configured) throw new AuthError('config_error', 'the worker is already initialised')
      if (version !== VERSION) {
        throw new AuthError('config_error', `the page runs oauth-enclave ${version} but its worker ${VERSION}`)
      }
      const liveness = holdForLife()
      configured = configure(options, onState)
      await configured
      return { liveness: await liveness }
    },

    async startLogin(input) {
      const c = await need()
      // The transaction must outlive this worker across the navigation to the provider.
      if (!c.storable) {
        throw new AuthError('worker_error', 'IndexedDB is unavailable here, so a redirect login cannot complete')
      }
      if (input.returnTo !== null && new URL(input.returnTo, env.origin).origin !== env.origin) {
        throw new AuthError('config_error', "returnTo must be on the page's own origin")
      }
      const ctx = await c.provider()
      const url = await startLogin(
        ctx,
        {
          redirectUri: c.config.redirectUri,
          scope: c.config.scope,
          returnTo: input.returnTo,
          extraParams: { ...input.extraParams },
          dpop: await useDPoP(c),
        },
        { transactions: c.transactions, now: env.now },
      )
      return { url: url.href }
    },

    async handleCallback(href) {
      const c = await need()
      const url = new URL(href)
      if (!isCallbackUrl(url, c.config.redirectUri)) {
        throw new AuthError('invalid_state', 'callback: not a redirect to the configured redirectUri with a response')
      }
      const ctx = await c.provider()
      const login = await completeLogin(ctx, url, { transactions: c.transactions, now: env.now })
      await c.session.replace(login.tokens, login.keys)
      return { returnTo: login.returnTo, user: login.tokens.claims }
    },

    async getState() {
      const c = await need()
      return { ...(await c.session.state()), persistence: c.persistence }
    },

    async fetch(wire: WireRequest) {
      const c = await need()
      const controller = new AbortController()
      inFlight.set(wire.id, controller)
      const request: ResourceRequest = {
        url: new URL(wire.url),
        init: decodeRequest(wire),
        redirect: wire.redirect,
        signal: controller.signal,
      }
      let response: Response
      try {
        response = c.isAllowed(request.url) ? await sendAllowed(c, request) : await bareFetch(request)
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

    async abort(id) {
      inFlight.get(id)?.abort(new DOMException('The operation was aborted.', 'AbortError'))
    },

    async logout(input): Promise<LogoutResult> {
      const c = await need()
      if (input.returnTo !== null && new URL(input.returnTo, env.origin).origin !== env.origin) {
        throw new AuthError('config_error', "returnTo must be on the page's own origin")
      }
      const ended = await c.session.end(null)
      const ctx = await c.provider().catch(() => null)
      if (ended && ctx) {
        const { tokens, dpop } = ended
        // RFC 7009 §2.1: revoking the refresh token first also ends its access tokens at most
        // providers; both are tried, and a failure does not keep the session.
        if (tokens.refreshToken) await revokeToken(ctx, tokens.refreshToken, 'refresh_token', dpop).catch(() => false)
        await revokeToken(ctx, tokens.accessToken, 'access_token', dpop).catch(() => false)
      }
      const fallback = input.returnTo ?? c.config.postLogoutRedirectUri
      const endSession = ctx ? endSessionUrl(ctx, c.config.postLogoutRedirectUri) : null
      return { url: endSession?.href ?? fallback }
    },
  }
  return api
}

/** Rejections leave the worker as {@link AuthError}s or the caller's `AbortError`, nothing else. */
export function guardApi(api: WorkerApi): WorkerApi {
  const guarded = {} as Record<keyof WorkerApi, unknown>
  for (const name of Object.keys(api) as (keyof WorkerApi)[]) {
    const method = api[name] as (...args: unknown[]) => Promise<unknown>
    guarded[name] = async (...args: unknown[]) => {
      try {
        return await method(...args)
      } catch (error) {
        if (error instanceof DOMException && error.name === 'AbortError') throw error
        if (error instanceof TypeError && name === 'fetch') throw new TypeError(error.message, { cause: error })
        throw isAuthError(error) ? error : new AuthError('worker_error', `${name} failed unexpectedly`)
      }
    }
  }
  return guarded as unknown as WorkerApi
}
