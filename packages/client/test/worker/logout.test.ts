import { describe, expect, it } from 'vitest'
import type { TokenSet } from '../../src/protocol/tokens'
import { logout } from '../../src/worker/logout'
import type { ActiveSession, Session } from '../../src/worker/session'
import { ISSUER, metadata, providerContext } from '../support/fake-provider'

const ID_TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.signature'
const tokens: TokenSet = {
  accessToken: 'access-token-value',
  refreshToken: 'refresh-token-value',
  tokenType: 'Bearer',
  expiresAt: null,
  receivedAt: 0,
  idToken: ID_TOKEN,
  claims: { sub: 'alice' },
  scope: null,
}

function deps(ended: ActiveSession | null) {
  const ctx = providerContext(async () => new Response(), metadata({ end_session_endpoint: `${ISSUER}/logout` }))
  const session = { end: async () => ended } as Partial<Session> as Session
  return { session, provider: async () => ctx, postLogoutRedirectUri: 'https://app.example.test/' }
}

const ended: ActiveSession = { sessionId: 's', tokens, keys: null, dpop: null, apis: {} }

describe('logout (OpenID Connect RP-Initiated Logout 1.0 §2)', () => {
  it('sends no token in the end-session URL by default', async () => {
    const { url } = await logout(deps(ended), null)
    expect(url).not.toContain(ID_TOKEN)
    expect(new URL(url!).searchParams.has('id_token_hint')).toBe(false)
  })

  it('with idTokenHint, sends the ID token as id_token_hint, and never the access or refresh token', async () => {
    const { url } = await logout(deps(ended), null, true)
    const params = new URL(url!).searchParams
    expect(params.get('id_token_hint')).toBe(ID_TOKEN)
    expect(url).not.toContain(tokens.accessToken)
    expect(url).not.toContain(tokens.refreshToken)
  })

  it('with idTokenHint but no session left, sends client_id alone', async () => {
    const { url } = await logout(deps(null), null, true)
    expect(new URL(url!).searchParams.has('id_token_hint')).toBe(false)
  })
})

describe('logout: revocation (RFC 7009 §2.1)', () => {
  it("revokes the refresh token, the session's access token and every API's own", async () => {
    const revoked: string[] = []
    const ctx = providerContext(
      async (url, init) => {
        expect(url).toBe(`${ISSUER}/revoke`)
        revoked.push(new URLSearchParams(init.body as URLSearchParams).get('token')!)
        return new Response(null, { status: 200 })
      },
      metadata({ revocation_endpoint: `${ISSUER}/revoke` }),
    )
    const apiToken = (accessToken: string): TokenSet => ({ ...tokens, accessToken, refreshToken: null, idToken: null })
    const withApis: ActiveSession = {
      ...ended,
      apis: { 'https://a.example.test': apiToken('at-a'), 'https://b.example.test': apiToken('at-b') },
    }
    const session = { end: async () => withApis } as Partial<Session> as Session
    await logout({ session, provider: async () => ctx, postLogoutRedirectUri: null }, null)
    expect(revoked).toEqual([tokens.refreshToken, tokens.accessToken, 'at-a', 'at-b'])
  })
})
