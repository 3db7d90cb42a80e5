import { describe, expect, it } from 'vitest'
import { createDPoPHandle, generateDPoPKeyPair } from '../../src/protocol/dpop'
import { refreshTokens, type TokenSet } from '../../src/protocol/tokens'
import { providerContext, type FakeFetch } from '../support/fake-provider'

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
})
