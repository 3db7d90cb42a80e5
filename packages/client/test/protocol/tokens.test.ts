import { describe, expect, it } from 'vitest'
import { createDPoPHandle, generateDPoPKeyPair } from '../../src/protocol/dpop'
import { refreshTokens, type TokenSet } from '../../src/protocol/tokens'
import { jsonResponse, providerContext, signJwt, validIdTokenClaims, type FakeFetch } from '../support/fake-provider'

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
