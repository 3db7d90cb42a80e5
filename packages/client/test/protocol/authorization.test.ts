import { describe, expect, it } from 'vitest'
import { createAuthorizationRequest, type AuthorizationRequestInput } from '../../src/protocol/authorization'
import { providerContext, REDIRECT_URI } from '../support/fake-provider'

const ctx = providerContext(async () => new Response())
const input = (extraParams: Record<string, string>): AuthorizationRequestInput => ({
  redirectUri: REDIRECT_URI,
  scope: 'openid',
  returnTo: null,
  extraParams,
  dpopJkt: null,
  now: 0,
})

describe('createAuthorizationRequest', () => {
  it('adds extra parameters such as prompt and login_hint', async () => {
    const { url } = await createAuthorizationRequest(ctx, input({ prompt: 'login', login_hint: 'alice' }))
    expect(url.searchParams.get('prompt')).toBe('login')
    expect(url.searchParams.get('login_hint')).toBe('alice')
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
  })

  it.each(['state', 'nonce', 'code_challenge', 'code_challenge_method', 'redirect_uri', 'client_id', 'request'])(
    'refuses extraParams that set %s, with config_error',
    async (name) => {
      await expect(createAuthorizationRequest(ctx, input({ [name]: 'attacker' }))).rejects.toMatchObject({
        code: 'config_error',
      })
    },
  )
})
