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

/** A login in a popup (`loginWithPopup`), begun and completed by the same worker's `popups`. */
async function popupLogin(dpop: boolean) {
  let grant: AuthorizationGrant | undefined = undefined
  let tokenRequests = 0
  const ctx = providerContext(async (_url, init) => {
    tokenRequests++
    return grant && (await redeems(grant, init.body))
      ? validTokenResponse(grant.nonce)
      : jsonResponse(400, { error: 'invalid_grant' })
  })
  const vault = createMemoryVault()
  const deps: CallbackDeps = { vault, popups: new Map(), now: () => Date.now(), dpop }
  const input = { redirectUri: REDIRECT_URI, scope: 'openid', returnTo: '/back', extraParams: {}, ...NO_STEP_UP }
  const begun = await beginLogin(ctx, { ...input, dpop, popup: true }, deps)
  grant = grantFor(begun.url)
  return { ctx, deps, vault, begun, grant: grant as AuthorizationGrant, tokenRequests: () => tokenRequests }
}

describe('a login in a popup', () => {
  it('marks its state, keeps the transaction in memory only, and completes from there', async () => {
    const login = await popupLogin(true)
    expect(login.begun.state).toMatch(/^popup\./)
    expect(login.grant.state).toBe(login.begun.state)
    expect(await login.vault.read(transactionRecord(login.begun.state))).toBeUndefined()
    expect([...login.deps.popups.keys()]).toEqual([login.begun.state])
    const pending = login.deps.popups.get(login.begun.state)!
    expect((pending.keys as CryptoKeyPair).privateKey.extractable).toBe(false)
    const done = await completeLogin(login.ctx, callbackFor(login.grant), login.deps)
    expect(done).toMatchObject({ returnTo: '/back', tokens: { claims: { sub: expect.any(String) } } })
    expect(login.deps.popups.size).toBe(0)
  })

  it('is single-use, and unknown to any other worker: invalid_state, no code exchanged', async () => {
    const login = await popupLogin(false)
    const elsewhere = { ...login.deps, popups: new Map() }
    await expect(completeLogin(login.ctx, callbackFor(login.grant), elsewhere)).rejects.toMatchObject({
      code: 'invalid_state',
    })
    await completeLogin(login.ctx, callbackFor(login.grant), login.deps)
    await expect(completeLogin(login.ctx, callbackFor(login.grant), login.deps)).rejects.toMatchObject({
      code: 'invalid_state',
    })
    expect(login.tokenRequests()).toBe(1)
  })

  it('replaces the popup login before it: one at a time per tab', async () => {
    const first = await popupLogin(false)
    const input = { redirectUri: REDIRECT_URI, scope: 'openid', returnTo: null, extraParams: {}, ...NO_STEP_UP }
    const second = await beginLogin(first.ctx, { ...input, dpop: false, popup: true }, first.deps)
    expect([...first.deps.popups.keys()]).toEqual([second.state])
    await expect(completeLogin(first.ctx, callbackFor(first.grant), first.deps)).rejects.toMatchObject({
      code: 'invalid_state',
    })
  })
})

describe('a failed callback', () => {
  it('carries the returnTo of the login it answered (a prompt=none the provider refused)', async () => {
    const login = await popupLogin(false)
    const refused = new URL(REDIRECT_URI)
    refused.searchParams.set('error', 'login_required')
    refused.searchParams.set('state', login.begun.state)
    refused.searchParams.set('iss', ISSUER)
    await expect(completeLogin(login.ctx, refused, login.deps)).rejects.toMatchObject({
      code: 'login_required',
      oauthError: 'login_required',
      returnTo: '/back',
    })
    expect(login.tokenRequests()).toBe(0)
  })
})
