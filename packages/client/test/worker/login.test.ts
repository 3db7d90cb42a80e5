import { describe, expect, it } from 'vitest'
import { TRANSACTION_TTL_MS, type AuthorizationTransaction } from '../../src/protocol/authorization'
import { generateDPoPKeyPair } from '../../src/protocol/dpop'
import { beginLogin, completeLogin, type CallbackDeps } from '../../src/worker/login'
import { transactionKeysRecord, transactionRecord } from '../../src/worker/vault-records'
import { createMemoryVault } from '../../src/worker/vault'
import {
  ISSUER,
  NO_STEP_UP,
  REDIRECT_URI,
  callbackFor,
  grantFor,
  jsonResponse,
  metadata,
  providerContext,
  redeems,
  validTokenResponse,
  type AuthorizationGrant,
} from '../support/fake-provider'

/**
 * A login started by the worker, whose stored transaction the test then rewrites as script of the
 * origin could (it can seal records with the vault's key), and the callback the provider sends.
 */
async function plantedLogin(dpop: boolean) {
  const vault = createMemoryVault()
  let tokenRequests = 0
  let grant: AuthorizationGrant | undefined = undefined
  const ctx = providerContext(async (_url, init) => {
    tokenRequests++
    if (!grant || !(await redeems(grant, init.body))) return jsonResponse(400, { error: 'invalid_grant' })
    return validTokenResponse(grant.nonce)
  })
  const now = Date.now()
  const input = { redirectUri: REDIRECT_URI, scope: 'openid', returnTo: null, extraParams: {}, ...NO_STEP_UP, dpop }
  grant = grantFor((await beginLogin(ctx, input, { vault, popups: new Map(), now: () => now })).url)
  const { state } = grant
  const transaction = (await vault.read(transactionRecord(state))) as AuthorizationTransaction
  return {
    transaction,
    /** Replaces what the vault holds for this login. */
    plant: (value: AuthorizationTransaction, pair: CryptoKeyPair | null) =>
      vault.write(transactionRecord(state), value, { name: transactionKeysRecord(state), pair }),
    complete: () => completeLogin(ctx, callbackFor(grant), { vault, popups: new Map(), now: () => now, dpop }),
    tokenRequests: () => tokenRequests,
    now,
  }
}

describe('completeLogin refuses transactions the worker did not write', () => {
  it('with a DPoP key pair that can be exported: invalid_state, and the code is never redeemed', async () => {
    const login = await plantedLogin(true)
    const exportable = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])
    await login.plant(login.transaction, exportable)
    await expect(login.complete()).rejects.toMatchObject({ code: 'invalid_state' })
    expect(login.tokenRequests()).toBe(0)
  })

  it('with a key pair beside it even where DPoP is not in effect', async () => {
    const login = await plantedLogin(false)
    const exportable = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])
    await login.plant(login.transaction, exportable)
    await expect(login.complete()).rejects.toMatchObject({ code: 'invalid_state' })
    expect(login.tokenRequests()).toBe(0)
  })

  it('without its key pair where DPoP is in effect: refused, not downgraded to Bearer', async () => {
    const login = await plantedLogin(true)
    await login.plant(login.transaction, null)
    await expect(login.complete()).rejects.toMatchObject({ code: 'invalid_state' })
    expect(login.tokenRequests()).toBe(0)
  })

  it('claiming to expire later than a transaction made now could', async () => {
    const login = await plantedLogin(false)
    await login.plant({ ...login.transaction, expiresAt: login.now + TRANSACTION_TTL_MS + 1 }, null)
    await expect(login.complete()).rejects.toMatchObject({ code: 'invalid_state' })
    expect(login.tokenRequests()).toBe(0)
  })

  it('but completes one the worker wrote, with a key pair of its own or, without DPoP, none', async () => {
    const withKey = await plantedLogin(true)
    await withKey.plant(
      { ...withKey.transaction, expiresAt: withKey.now + TRANSACTION_TTL_MS },
      await generateDPoPKeyPair(),
    )
    await expect(withKey.complete()).resolves.toMatchObject({ returnTo: null })
    const bearer = await plantedLogin(false)
    await expect(bearer.complete()).resolves.toMatchObject({ keys: null })
  })
})

/** One login begun at `t0`, completed from its exact callback at `t0 + elapsed`. */
async function loginAfter(elapsed: number) {
  let tokenRequests = 0
  const ctx = providerContext(async (_url, init) => {
    tokenRequests++
    return (await redeems(grant, init.body))
      ? validTokenResponse(grant.nonce)
      : jsonResponse(400, { error: 'invalid_grant' })
  })
  let clock = Date.now()
  const deps: CallbackDeps = { vault: createMemoryVault(), popups: new Map(), now: () => clock, dpop: false }
  const input = {
    redirectUri: REDIRECT_URI,
    scope: 'openid',
    returnTo: '/home',
    extraParams: {},
    ...NO_STEP_UP,
    dpop: false,
  }
  const grant = grantFor((await beginLogin(ctx, input, deps)).url)
  clock += elapsed
  const result = await completeLogin(ctx, callbackFor(grant), deps).catch((error: unknown) => error)
  return { result, tokenRequests: () => tokenRequests }
}

describe('completeLogin', () => {
  it('completes a login within its lifetime', async () => {
    const { result } = await loginAfter(TRANSACTION_TTL_MS)
    expect(result).toMatchObject({ returnTo: '/home', keys: null })
  })

  it('refuses an expired login with invalid_state, exchanging no code', async () => {
    const { result, tokenRequests } = await loginAfter(TRANSACTION_TTL_MS + 1)
    expect(result).toMatchObject({ name: 'AuthError', code: 'invalid_state' })
    expect(tokenRequests()).toBe(0)
  })
})

/** A login asking `ask`, answered by a provider whose ID token says `claims`. */
async function stepUpLogin(ask: { acrValues?: string; maxAge?: number }, claims: Record<string, unknown>) {
  let grant: AuthorizationGrant | undefined = undefined
  const ctx = providerContext(async (_url, init) =>
    grant && (await redeems(grant, init.body))
      ? validTokenResponse(grant.nonce, claims)
      : jsonResponse(400, { error: 'invalid_grant' }),
  )
  const deps: CallbackDeps = { vault: createMemoryVault(), popups: new Map(), now: () => Date.now(), dpop: false }
  const input = { redirectUri: REDIRECT_URI, scope: 'openid', returnTo: null, extraParams: {}, ...NO_STEP_UP, ...ask }
  const { url } = await beginLogin(ctx, { ...input, dpop: false }, deps)
  grant = grantFor(url)
  return { url, result: await completeLogin(ctx, callbackFor(grant), deps).catch((error: unknown) => error) }
}

const nowSeconds = () => Math.floor(Date.now() / 1000)

describe('completeLogin after a step-up (RFC 9470 §4, OpenID Connect Core §3.1.2.1)', () => {
  it('completes when the ID token has an acr asked for, and an auth_time within max_age', async () => {
    const { url, result } = await stepUpLogin(
      { acrValues: 'urn:mfa urn:hwk', maxAge: 60 },
      { acr: 'urn:hwk', auth_time: nowSeconds() },
    )
    expect(url.searchParams.get('acr_values')).toBe('urn:mfa urn:hwk')
    expect(url.searchParams.get('max_age')).toBe('60')
    expect(result).toMatchObject({ tokens: { claims: { acr: 'urn:hwk' } } })
  })

  it('refuses a weaker acr with invalid_id_token', async () => {
    const { result } = await stepUpLogin({ acrValues: 'urn:mfa' }, { acr: 'urn:password' })
    expect(result).toMatchObject({ name: 'AuthError', code: 'invalid_id_token' })
  })

  it('refuses an auth_time older than max_age, or none, with invalid_id_token', async () => {
    const old = await stepUpLogin({ maxAge: 60 }, { auth_time: nowSeconds() - 3600 })
    expect(old.result).toMatchObject({ name: 'AuthError', code: 'invalid_id_token' })
    const none = await stepUpLogin({ maxAge: 60 }, {})
    expect(none.result).toMatchObject({ name: 'AuthError', code: 'invalid_id_token' })
  })
})

describe('beginLogin with PAR (RFC 9126)', () => {
  it('pushes the request with a DPoP proof, stores the transaction, and returns only client_id and request_uri', async () => {
    const pushed: { body: URLSearchParams; dpop: string | null }[] = []
    const ctx = providerContext(
      async (_url, init) => {
        pushed.push({
          body: new URLSearchParams(String(init.body)),
          dpop: new Headers(init.headers as HeadersInit).get('dpop'),
        })
        return jsonResponse(201, { request_uri: 'urn:ietf:params:oauth:request_uri:1', expires_in: 60 })
      },
      metadata({ pushed_authorization_request_endpoint: `${ISSUER}/par` }),
    )
    const vault = createMemoryVault()
    const input = { redirectUri: REDIRECT_URI, scope: 'openid', returnTo: null, extraParams: {}, ...NO_STEP_UP }
    const { url } = await beginLogin(
      ctx,
      { ...input, par: true, dpop: true },
      { vault, popups: new Map(), now: () => Date.now() },
    )

    expect([...url.searchParams.keys()]).toEqual(['client_id', 'request_uri'])
    expect(pushed).toHaveLength(1)
    const state = pushed[0]!.body.get('state')!
    expect(pushed[0]!.body.get('dpop_jkt')).toEqual(expect.any(String))
    expect(pushed[0]!.dpop).toEqual(expect.any(String))
    expect(await vault.read(transactionRecord(state))).toMatchObject({ state })
  })

  it('stores nothing when the provider refuses the push', async () => {
    const ctx = providerContext(
      async () => jsonResponse(400, { error: 'invalid_request' }),
      metadata({ pushed_authorization_request_endpoint: `${ISSUER}/par` }),
    )
    const vault = createMemoryVault()
    const writes: string[] = []
    const watched = {
      ...vault,
      write: (...args: Parameters<typeof vault.write>) => (writes.push(args[0]), vault.write(...args)),
    }
    const input = { redirectUri: REDIRECT_URI, scope: 'openid', returnTo: null, extraParams: {}, ...NO_STEP_UP }
    await expect(
      beginLogin(
        ctx,
        { ...input, par: true, dpop: false },
        { vault: watched, popups: new Map(), now: () => Date.now() },
      ),
    ).rejects.toMatchObject({
      code: 'authorization_error',
      oauthError: 'invalid_request',
    })
    expect(writes).toEqual([])
  })
})
