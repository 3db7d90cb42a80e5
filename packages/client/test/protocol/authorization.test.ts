import { describe, expect, it } from 'vitest'
import { createAuthorizationRequest, type AuthorizationRequestInput } from '../../src/protocol/authorization'
import { providerContext, REDIRECT_URI } from '../support/fake-provider'

const ctx = providerContext(async () => new Response())
const input = (extraParams: Record<string, string>): AuthorizationRequestInput => ({
  redirectUri: REDIRECT_URI,
  scope: 'openid',
  returnTo: null,
  extraParams,
  acrValues: null,
  maxAge: null,
  resource: [],
  dpopJkt: null,
  popup: false,
  now: 0,
})

describe('createAuthorizationRequest', () => {
  it('adds extra parameters such as prompt and login_hint', async () => {
    const { url } = await createAuthorizationRequest(ctx, input({ prompt: 'login', login_hint: 'alice' }))
    expect(url.searchParams.get('prompt')).toBe('login')
    expect(url.searchParams.get('login_hint')).toBe('alice')
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
  })

  it.each([
    'state',
    'nonce',
    'code_challenge',
    'code_challenge_method',
    'redirect_uri',
    'client_id',
    'request',
    'acr_values',
    'max_age',
    'resource',
  ])('refuses extraParams that set %s, with config_error', async (name) => {
    await expect(createAuthorizationRequest(ctx, input({ [name]: 'attacker' }))).rejects.toMatchObject({
      code: 'config_error',
    })
  })
})

describe('createAuthorizationRequest for a step-up (RFC 9470 §4) and resource indicators (RFC 8707)', () => {
  it('carries acr_values and max_age, and keeps them in the transaction to check the ID token against', async () => {
    const { url, transaction } = await createAuthorizationRequest(ctx, {
      ...input({}),
      acrValues: 'urn:example:mfa urn:example:hwk',
      maxAge: 0,
    })
    expect(url.searchParams.get('acr_values')).toBe('urn:example:mfa urn:example:hwk')
    expect(url.searchParams.get('max_age')).toBe('0')
    expect(transaction).toMatchObject({ acrValues: 'urn:example:mfa urn:example:hwk', maxAge: 0 })
  })

  it('sends neither when none was asked', async () => {
    const { url, transaction } = await createAuthorizationRequest(ctx, input({}))
    expect(url.searchParams.has('acr_values')).toBe(false)
    expect(url.searchParams.has('max_age')).toBe(false)
    expect(url.searchParams.has('resource')).toBe(false)
    expect(transaction).toMatchObject({ acrValues: null, maxAge: null })
  })

  it('carries one resource parameter per value (RFC 8707 §2.1), as given', async () => {
    const resource = ['https://api.example.test/', 'urn:example:reports']
    const { url } = await createAuthorizationRequest(ctx, { ...input({}), resource })
    expect(url.searchParams.getAll('resource')).toEqual(resource)
  })

  it.each<[string, Partial<AuthorizationRequestInput>]>([
    ['a negative maxAge', { maxAge: -1 }],
    ['a fractional maxAge', { maxAge: 1.5 }],
    ['a maxAge that is a string', { maxAge: '60' as unknown as number }],
    ['empty acrValues', { acrValues: ' ' }],
    ['acrValues that are not a string', { acrValues: ['urn:x'] as unknown as string }],
    ['acrValues without the openid scope', { acrValues: 'urn:x', scope: 'api' }],
    ['maxAge without the openid scope', { maxAge: 60, scope: 'api' }],
    ['a relative resource', { resource: ['/api'] }],
    ['a resource with a fragment', { resource: ['https://api.example.test/#x'] }],
  ])('refuses %s with config_error', async (_what, change) => {
    await expect(createAuthorizationRequest(ctx, { ...input({}), ...change })).rejects.toMatchObject({
      code: 'config_error',
    })
  })
})
