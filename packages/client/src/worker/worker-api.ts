/**
 * The worker's API: each method of {@link WorkerApi} mapped onto the module that owns its flow.
 *
 * - configuration, provider, DPoP decision: `configuration.ts`
 * - login and callback: `login.ts`; logout and revocation: `logout.ts`
 * - credentialed requests, redirects, retries, aborts: `resource-fetch.ts`
 * - the session, its refresh and its tabs: `session.ts`
 * - the Web Lock that tells the page this worker died: `liveness.ts`
 */
import { isCallbackUrl } from '../shared/callback-url'
import { AuthError } from '../shared/errors'
import { VERSION } from '../shared/version'
import type { StateListener, WorkerApi } from '../shared/wire'
import { configure, dpopInEffect, type Configured, type WorkerEnvironment } from './configuration'
import { holdForLife } from './liveness'
import { beginLogin, completeLogin, type PendingLogin } from './login'
import { logout } from './logout'
import { parseResource } from '../protocol/authorization'
import { parInEffect } from '../protocol/par'

export type { WorkerEnvironment } from './configuration'

/** `returnTo` as the page sent it, refused unless it is on the worker's (the page's) origin. */
function sameOriginReturnTo(returnTo: string | null, origin: string): string | null {
  if (returnTo !== null && new URL(returnTo, origin).origin !== origin) {
    throw new AuthError('config_error', "returnTo must be on the page's own origin")
  }
  return returnTo
}

/**
 * The worker's API. Configuration is pinned by the first `init`; the token endpoint and the
 * allowed targets come from it and the provider's metadata, and no later message can change them
 * (the lesson of auth0-spa-js#1566).
 */
export function createWorkerApi(env: WorkerEnvironment): WorkerApi {
  /** Set by the first `init`, in the task that receives it: later calls wait for it. */
  let configured: Promise<Configured> | undefined
  /** Logins in a popup this tab opened, waiting for their callback (`login.ts`). */
  const popups = new Map<string, PendingLogin>()

  /** The configuration, once `init` has built it; calls that arrive while it runs wait for it. */
  async function whenConfigured(): Promise<Configured> {
    if (!configured) throw new AuthError('config_error', 'the worker is not initialised')
    const c = await configured
    // A session past its idle timeout ends before the call can use it, even if its timer is late.
    await c.idle?.enforce()
    return c
  }

  return {
    async init(options, onState: StateListener, version, serviceWorker) {
      if (configured) throw new AuthError('config_error', 'the worker is already initialised')
      if (version !== VERSION) {
        throw new AuthError('config_error', `the page runs oauth-enclave ${version} but its worker ${VERSION}`)
      }
      const liveness = holdForLife()
      configured = configure(options, onState, serviceWorker, env)
      await configured
      return { liveness: await liveness }
    },

    async startLogin(input) {
      const c = await whenConfigured()
      const popup = input.popup === true
      // A redirect's transaction must outlive this worker across the navigation to the provider;
      // a popup's stays in this worker, whose page stays.
      if (!c.storable && !popup) {
        throw new AuthError('worker_error', 'a redirect login needs IndexedDB, unavailable here')
      }
      const returnTo = sameOriginReturnTo(input.returnTo, env.origin)
      if (input.extraParams != null && typeof input.extraParams !== 'object') {
        throw new AuthError('config_error', 'extraParams must be an object')
      }
      if (input.prompt != null && typeof input.prompt !== 'string') {
        throw new AuthError('config_error', 'prompt must be a string')
      }
      const ctx = await c.provider()
      const params = {
        redirectUri: c.config.redirectUri,
        scope: c.config.scope,
        returnTo,
        extraParams: { ...input.extraParams, ...(input.prompt != null && { prompt: input.prompt }) },
        acrValues: input.acrValues ?? null,
        maxAge: input.maxAge ?? null,
        resource: input.resource == null ? c.config.resource : parseResource(input.resource, 'resource'),
        dpop: await dpopInEffect(c),
        par: parInEffect(ctx, c.config.par),
        popup,
      }
      const { url, state } = await beginLogin(ctx, params, { vault: c.vault, popups, now: env.now })
      return { url: url.href, state }
    },

    async handleCallback(href) {
      const c = await whenConfigured()
      const url = new URL(href)
      if (!isCallbackUrl(url, c.config.redirectUri)) {
        throw new AuthError('invalid_state', 'callback: not a response at redirectUri')
      }
      const deps = { vault: c.vault, popups, now: env.now, dpop: await dpopInEffect(c) }
      const login = await completeLogin(await c.provider(), url, deps)
      // Signing in is activity: the idle clock starts again before the new session exists.
      await c.idle?.activity()
      await c.session.replace(login.tokens, login.keys)
      return { returnTo: login.returnTo, user: login.tokens.claims }
    },

    async getState() {
      return (await whenConfigured()).state()
    },

    async fetch(wire) {
      return (await whenConfigured()).resources.fetch(wire)
    },

    async abort(id) {
      const c = await whenConfigured()
      c.resources.abort(id)
    },

    async reportActivity() {
      await (await whenConfigured()).idle?.activity()
    },

    async logout(input) {
      const c = await whenConfigured()
      const returnTo = sameOriginReturnTo(input.returnTo, env.origin)
      if (input.idTokenHint != null && typeof input.idTokenHint !== 'boolean') {
        throw new AuthError('config_error', 'idTokenHint must be a boolean')
      }
      const deps = { ...c, postLogoutRedirectUri: c.config.postLogoutRedirectUri }
      return logout(deps, returnTo, input.idTokenHint === true)
    },
  }
}
