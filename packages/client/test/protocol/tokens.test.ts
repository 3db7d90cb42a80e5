import { describe, expect, it } from 'vitest'
import { createDPoPHandle, generateDPoPKeyPair } from '../../src/protocol/dpop'
import { refreshTokens, type TokenSet } from '../../src/protocol/tokens'
import {
  jsonResponse,
  metadata,
  providerContext,
  signJwt,
  validIdTokenClaims,
  type FakeFetch,
} from '../support/fake-provider'

const previous: TokenSet = {
  accessToken: 'at-0',
  refreshToken: 'rt-0',
  tokenType: 'DPoP',
  expiresAt: 0,
  receivedAt: 0,
  idToken: null,
  claims: null,
  scope: null,
}

describe('refreshTokens', () => {
  it('follows a provider that answers a DPoP request with a Bearer token (RFC 9449 §5)', async () => {
    const headers: Headers[] = []
    const fakeFetch: FakeFetch = async (_url, init) => {
      headers.push(new Headers(init.headers as HeadersInit))
      return Response.json({ access_token: 'at-1', token_type: 'Bearer', expires_in: 60 })
    }
    const ctx = providerContext(fakeFetch)
    const dpop = createDPoPHandle(ctx.client, await generateDPoPKeyPair())
    const next = await refreshTokens(ctx, previous, { dpop, now: () => 1_000 })
    expect(headers[0]?.has('dpop')).toBe(true)
    expect(next).toMatchObject({ accessToken: 'at-1', tokenType: 'Bearer', expiresAt: 61_000 })
  })

  it('refuses a DPoP token type to a request that sent no proof', async () => {
    const ctx = providerContext(async () => Response.json({ access_token: 'at-1', token_type: 'DPoP' }))
    await expect(refreshTokens(ctx, previous, { dpop: null, now: () => 0 })).rejects.toMatchObject({
      code: 'invalid_response',
    })
  })

  it('keeps the refresh token when the answer brings no new one (RFC 6749 §6)', async () => {
    const ctx = providerContext(async () => jsonResponse(200, { access_token: 'at-1', token_type: 'Bearer' }))
    const bearer = { ...previous, tokenType: 'Bearer' as const }
    expect(await refreshTokens(ctx, bearer, { dpop: null, now: () => 0 })).toMatchObject({ refreshToken: 'rt-0' })
    const rotated = providerContext(async () =>
      jsonResponse(200, { access_token: 'at-1', token_type: 'Bearer', refresh_token: 'rt-1' }),
    )
    expect(await refreshTokens(rotated, bearer, { dpop: null, now: () => 0 })).toMatchObject({ refreshToken: 'rt-1' })
  })

  it('refuses a refreshed ID token about another user (OpenID Connect Core §12.2)', async () => {
    const answer = async (sub: string) =>
      jsonResponse(200, {
        access_token: 'at-1',
        token_type: 'Bearer',
        id_token: await signJwt({ ...validIdTokenClaims(null), sub }),
      })
    const alice = { ...previous, tokenType: 'Bearer' as const, claims: { sub: 'alice' } }
    const same = providerContext(() => answer('alice'))
    expect(await refreshTokens(same, alice, { dpop: null, now: () => 0 })).toMatchObject({ claims: { sub: 'alice' } })
    const other = providerContext(() => answer('mallory'))
    await expect(refreshTokens(other, alice, { dpop: null, now: () => 0 })).rejects.toMatchObject({
      code: 'invalid_id_token',
    })
  })
})

describe('refreshTokens and a provider whose clock is off', () => {
  /** A provider `offset` seconds off that issues ID tokens living 4 s, and the proofs it was sent. */
  async function skewedProvider(offset: number) {
    const proofs: Record<string, unknown>[] = []
    const fakeFetch: FakeFetch = async (_url, init) => {
      const proof = new Headers(init.headers as HeadersInit).get('dpop')!.split('.')[1]!
      proofs.push(JSON.parse(atob(proof.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>)
      const iat = Math.floor(Date.now() / 1000) + offset
      const claims = { ...validIdTokenClaims(null), sub: 'alice', iat, exp: iat + 4 }
      return jsonResponse(200, {
        access_token: 'at-1',
        token_type: 'DPoP',
        expires_in: 4,
        id_token: await signJwt(claims),
      })
    }
    // Each provider on an origin of its own: the worker's clocks are kept per origin.
    const as = metadata({ token_endpoint: `https://skew${offset}.example.test/token` })
    const ctx = providerContext(fakeFetch, as)
    const dpop = createDPoPHandle(ctx.client, await generateDPoPKeyPair())
    const alice = { ...previous, claims: { sub: 'alice' } }
    const refresh = () => refreshTokens(ctx, alice, { dpop, now: Date.now })
    const proofSkew = (n: number) => (proofs[n]!.iat as number) - Math.floor(Date.now() / 1000)
    return { refresh, proofSkew }
  }

  it("checks the ID token by the provider's clock, which its iat tells, and dates the next proofs by it", async () => {
    for (const offset of [-360, 360]) {
      const provider = await skewedProvider(offset)
      const next = await provider.refresh()
      // Expiry stays by the local clock, from `expires_in`.
      expect(next.expiresAt! - next.receivedAt).toBe(4_000)
      expect(provider.proofSkew(0)).toBeCloseTo(0, -1)
      await provider.refresh()
      expect(provider.proofSkew(1)).toBeCloseTo(offset, -1)
    }
  })

  it('believes no clock more than 10 minutes off: its expired ID token is refused', async () => {
    const provider = await skewedProvider(-660)
    await expect(provider.refresh()).rejects.toMatchObject({ code: 'invalid_id_token' })
  })
})
