import { describe, expect, it } from 'vitest'
import { TRANSACTION_TTL_MS, type AuthorizationTransaction } from '../../src/protocol/authorization'
import { generateDPoPKeyPair } from '../../src/protocol/dpop'
import { beginLogin, completeLogin, type CallbackDeps } from '../../src/worker/login'
import { transactionKeysRecord, transactionRecord } from '../../src/worker/vault-records'
import { createMemoryVault } from '../../src/worker/vault'
import {
  REDIRECT_URI,
  callbackFor,
  grantFor,
  jsonResponse,
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
  const input = { redirectUri: REDIRECT_URI, scope: 'openid', returnTo: null, extraParams: {}, dpop }
  grant = grantFor(await beginLogin(ctx, input, { vault, now: () => now }))
  const { state } = grant
  const transaction = (await vault.read(transactionRecord(state))) as AuthorizationTransaction
  return {
    transaction,
    /** Replaces what the vault holds for this login. */
    plant: (value: AuthorizationTransaction, pair: CryptoKeyPair | null) =>
      vault.write(transactionRecord(state), value, { name: transactionKeysRecord(state), pair }),
    complete: () => completeLogin(ctx, callbackFor(grant), { vault, now: () => now, dpop }),
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
  const deps: CallbackDeps = { vault: createMemoryVault(), now: () => clock, dpop: false }
  const input = { redirectUri: REDIRECT_URI, scope: 'openid', returnTo: '/home', extraParams: {}, dpop: false }
  const grant = grantFor(await beginLogin(ctx, input, deps))
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
