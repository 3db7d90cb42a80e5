import * as oauth from 'oauth4webapi'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ProviderContext } from '../../src/protocol/provider'
import type { TokenSet } from '../../src/protocol/tokens'
import { logout } from '../../src/worker/logout'
import type { ActiveSession, Session } from '../../src/worker/session'

const REVOCATION = 'https://as.example.test/revoke'
const ctx: ProviderContext = {
  as: { issuer: 'https://as.example.test', revocation_endpoint: REVOCATION },
  client: { client_id: 'spa', token_endpoint_auth_method: 'none' },
  clientAuth: oauth.None(),
  http: {},
}

const tokens = (accessToken: string, refreshToken: string | null): TokenSet => ({
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

describe('logout', () => {
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
      tokens: tokens('at', 'rt'),
      keys: null,
      dpop: null,
      apis: { 'https://a.example.test': tokens('at-a', null), 'https://b.example.test': tokens('at-b', null) },
    }
    const session = { end: async () => ended } as Partial<Session> as Session
    await logout({ session, provider: async () => ctx, postLogoutRedirectUri: null }, null)
    expect(revoked).toEqual(['rt', 'at', 'at-a', 'at-b'])
  })
})
