import * as oauth from 'oauth4webapi'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ProviderContext } from '../../src/protocol/provider'
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

const REVOCATION = 'https://as.example.test/revoke'
const ctx: ProviderContext = {
  as: { issuer: 'https://as.example.test', revocation_endpoint: REVOCATION },
  client: { client_id: 'spa', token_endpoint_auth_method: 'none' },
  clientAuth: oauth.None(),
  http: {},
}

const tokensOf = (accessToken: string, refreshToken: string | null): TokenSet => ({
  accessToken,
  refreshToken,
  tokenType: 'Bearer',
  expiresAt: null,
  receivedAt: 0,
  idToken: null,
  claims: null,
  scope: null,
})

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('logout: revocation (RFC 7009 §2.1)', () => {
  it("revokes the refresh token, the session's access token and every API's own", async () => {
    const revoked: string[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        expect(url).toBe(REVOCATION)
        revoked.push(new URLSearchParams(init.body as URLSearchParams).get('token')!)
        return new Response(null, { status: 200 })
      }),
    )
    const ended: ActiveSession = {
      sessionId: 's',
      tokens: tokensOf('at', 'rt'),
      keys: null,
      dpop: null,
      apis: { 'https://a.example.test': tokensOf('at-a', null), 'https://b.example.test': tokensOf('at-b', null) },
    }
    const session = { end: async () => ended } as Partial<Session> as Session
    await logout({ session, provider: async () => ctx, postLogoutRedirectUri: null }, null)
    expect(revoked).toEqual(['rt', 'at', 'at-a', 'at-b'])
  })
})
