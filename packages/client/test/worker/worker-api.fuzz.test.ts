import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { resolveConfig } from '../../src/worker/config'
import { AuthError } from '../../src/shared/errors'
import type { AuthState } from '../../src/shared/types'
import { proxy, wrap } from '../../src/client/comlink-client'
import { serveComlink } from '../../src/worker/comlink-server'
import { createWorkerApi } from '../../src/worker/worker-api'
import { browserNetwork } from '../support/network'
import type { WorkerApi } from '../../src/shared/wire'
import {
  acceptable,
  callbackRecipe,
  callbackUrl,
  tokenResponse,
  tokenResponseRecipe,
  tokenValuesIn,
  type TokenResponseRecipe,
} from '../support/arbitraries'
import {
  CLIENT_ID,
  ISSUER,
  LOGIN_FAILURE_CODES,
  REDIRECT_URI,
  callbackFor,
  grantFor,
  jsonResponse,
  metadata,
  redeems,
  validTokenResponse,
  type AuthorizationGrant,
  type FakeFetch,
} from '../support/fake-provider'
import { VERSION } from '../../src/shared/version'

const realFetch = globalThis.fetch.bind(globalThis)

/** The provider behind the global `fetch` the worker API uses; anything else goes out as usual. */
function stubProvider(token: () => FakeFetch): void {
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input instanceof Request ? input.url : input)
    if (!url.startsWith(`${ISSUER}/`)) return realFetch(input, init)
    if (url === `${ISSUER}/.well-known/openid-configuration`) return Promise.resolve(jsonResponse(200, metadata()))
    if (url === `${ISSUER}/token`) return token()(url, init)
    return Promise.resolve(jsonResponse(404, { error: 'not_found' }))
  })
}

/** Answers the token request for `grant` with `answer`, and any other with `invalid_grant`. */
function tokenEndpoint(grant: AuthorizationGrant, answer: () => Promise<Response>): FakeFetch {
  return async (_url, init) =>
    (await redeems(grant, init.body)) ? answer() : jsonResponse(400, { error: 'invalid_grant' })
}

const session = (state: AuthState) => ({ authenticated: state.authenticated, user: state.user })

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('the worker API after a failed login', () => {
  it('keeps the session it had (none, or an existing one) and names no token in the error', async () => {
    let token: FakeFetch = () => Promise.reject(new TypeError('Failed to fetch'))
    stubProvider(() => token)
    const config = resolveConfig(
      { issuer: ISSUER, clientId: CLIENT_ID, redirectUri: REDIRECT_URI, persistence: 'memory' },
      location.origin,
    )
    let failures = 0

    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        callbackRecipe,
        tokenResponseRecipe,
        async (signedIn, callback, answer: TokenResponseRecipe) => {
          // Served as the worker serves it: what reaches the page is what the comlink server lets out.
          const { port1, port2 } = new MessageChannel()
          serveComlink(
            { ...createWorkerApi({ origin: location.origin, now: Date.now, network: browserNetwork }) },
            port1,
          )
          port1.start()
          port2.start()
          const api = wrap<WorkerApi>(port2)
          await api.init(
            config,
            proxy(() => undefined),
            VERSION,
            null,
          )
          if (signedIn) {
            const grant = grantFor(new URL((await api.startLogin({ returnTo: null, extraParams: {} })).url))
            token = tokenEndpoint(grant, () => validTokenResponse(grant.nonce))
            await api.handleCallback(callbackFor(grant).href)
          }
          const grant = grantFor(new URL((await api.startLogin({ returnTo: null, extraParams: {} })).url))
          token = tokenEndpoint(grant, () => tokenResponse(answer, grant.nonce))
          const url = callbackUrl(callback, { redirectUri: REDIRECT_URI, state: grant.state, code: grant.code })

          const before = session(await api.getState())
          expect(before.authenticated).toBe(signedIn)
          let error: unknown
          try {
            await api.handleCallback(url.href)
          } catch (caught) {
            error = caught
          }
          const after = session(await api.getState())

          if (error === undefined) {
            expect(acceptable(answer)).toBe(true)
            expect(after.authenticated).toBe(true)
            return
          }
          failures++
          expect(error).toBeInstanceOf(AuthError)
          const { code, message } = error as AuthError
          expect(LOGIN_FAILURE_CODES).toContain(code)
          expect(after).toEqual(before)
          for (const value of tokenValuesIn(answer)) expect(message).not.toContain(value)
        },
      ),
      { numRuns: 200 },
    )
    expect(failures).toBeGreaterThan(0)
  })
})
