import { describe, expect, it } from 'vitest'
import type { TokenSet } from '../../src/protocol/tokens'
import { AuthError } from '../../src/shared/errors'
import type { LogoutResult } from '../../src/shared/types'
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

describe('logout: what came of the revocation (RFC 7009 §2.2.1, RFC 8414 §2)', () => {
  type Answer = (body: URLSearchParams) => Response
  function revokingDeps(answer: Answer, extra: Record<string, unknown> = {}, session: ActiveSession | null = ended) {
    const sent: string[] = []
    const ctx = providerContext(
      async (_url, init) => {
        const body = new URLSearchParams(init.body as URLSearchParams)
        sent.push(body.get('token_type_hint')!)
        return answer(body)
      },
      metadata({ revocation_endpoint: `${ISSUER}/revoke`, ...extra }),
    )
    const end = { end: async () => session } as Partial<Session> as Session
    return { sent, deps: { session: end, provider: async () => ctx, postLogoutRedirectUri: null } }
  }
  /** What the page gets: the answer without the URL it navigates to. */
  async function outcome(answer: ReturnType<typeof logout>) {
    return Object.fromEntries(Object.entries(await answer).filter(([key]) => key !== 'url')) as LogoutResult
  }
  const ok: Answer = () => new Response(null, { status: 200 })
  const oauthError = (status: number, error: string) =>
    Response.json({ error }, { status, headers: { 'content-type': 'application/json' } })

  it('says revoked when the provider confirms', async () => {
    const { deps } = revokingDeps(ok)
    expect(await outcome(logout(deps, null))).toEqual({ revocation: 'revoked' })
  })

  it('sends nothing and says not_supported when public clients may not revoke (auth methods without none)', async () => {
    const { sent, deps } = revokingDeps(ok, { revocation_endpoint_auth_methods_supported: ['client_secret_basic'] })
    expect(await outcome(logout(deps, null))).toEqual({ revocation: 'not_supported' })
    expect(sent).toEqual([])
  })

  it('tries when the auth methods list none, or lists nothing', async () => {
    for (const extra of [{ revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'none'] }, {}]) {
      const { sent, deps } = revokingDeps(ok, extra)
      expect((await outcome(logout(deps, null))).revocation).toBe('revoked')
      expect(sent).toEqual(['refresh_token', 'access_token'])
    }
  })

  it('says not_supported without a revocation endpoint', async () => {
    const ctx = providerContext(async () => new Response(), metadata({}))
    const session = { end: async () => ended } as Partial<Session> as Session
    const result = await outcome(logout({ session, provider: async () => ctx, postLogoutRedirectUri: null }, null))
    expect(result).toEqual({ revocation: 'not_supported' })
  })

  it('says failed with the status and OAuth error of a refusal, and no token', async () => {
    const { deps } = revokingDeps(() => oauthError(401, 'invalid_client'))
    const result = await outcome(logout(deps, null))
    expect(result).toEqual({
      revocation: 'failed',
      failure: { code: 'token_error', status: 401, oauthError: 'invalid_client' },
    })
    expect(JSON.stringify(result)).not.toMatch(/token-value/)
  })

  it('says failed with the status of a body-less refusal', async () => {
    const { deps } = revokingDeps(() => new Response(null, { status: 401 }))
    const result = await outcome(logout(deps, null))
    expect(result.revocation).toBe('failed')
    expect(result.failure?.status).toBe(401)
  })

  it('reports the first refusal when several tokens fail', async () => {
    const { deps } = revokingDeps((body) =>
      body.get('token_type_hint') === 'refresh_token'
        ? oauthError(401, 'invalid_client')
        : new Response(null, { status: 503 }),
    )
    expect((await outcome(logout(deps, null))).failure).toMatchObject({ status: 401, oauthError: 'invalid_client' })
  })

  it('does not count an access token the provider cannot revoke (unsupported_token_type) as a failure', async () => {
    const { deps } = revokingDeps((body) =>
      body.get('token_type_hint') === 'access_token' ? oauthError(400, 'unsupported_token_type') : ok(body),
    )
    expect(await outcome(logout(deps, null))).toEqual({ revocation: 'revoked' })
  })

  it('counts a refresh token the provider cannot revoke as a failure', async () => {
    const { deps } = revokingDeps((body) =>
      body.get('token_type_hint') === 'refresh_token' ? oauthError(400, 'unsupported_token_type') : ok(body),
    )
    expect(await outcome(logout(deps, null))).toMatchObject({
      revocation: 'failed',
      failure: { oauthError: 'unsupported_token_type' },
    })
  })

  it('says no_session when there was no session, and failed network_error when the provider is unreachable', async () => {
    expect(await outcome(logout(revokingDeps(ok, {}, null).deps, null))).toEqual({ revocation: 'no_session' })
    const session = { end: async () => ended } as Partial<Session> as Session
    const unreachable = async () => {
      throw new AuthError('network_error', 'the provider could not be reached')
    }
    const result = await outcome(logout({ session, provider: unreachable, postLogoutRedirectUri: null }, null))
    expect(result).toEqual({ revocation: 'failed', failure: { code: 'network_error' } })
  })
})
