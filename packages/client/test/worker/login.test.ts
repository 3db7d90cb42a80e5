import { describe, expect, it } from 'vitest'
import { TRANSACTION_TTL_MS } from '../../src/protocol/authorization'
import { beginLogin, completeLogin, type LoginDeps } from '../../src/worker/login'
import { createMemoryVault } from '../../src/worker/vault'
import {
  REDIRECT_URI,
  callbackFor,
  grantFor,
  jsonResponse,
  providerContext,
  redeems,
  validTokenResponse,
} from '../support/fake-provider'

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
  const deps: LoginDeps = { vault: createMemoryVault(), now: () => clock }
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
