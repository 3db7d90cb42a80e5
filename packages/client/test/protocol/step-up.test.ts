import { describe, expect, it } from 'vitest'
import { assertAuthenticationContext } from '../../src/protocol/step-up'

const user = (claims: Record<string, unknown>) => ({ sub: 'alice', ...claims })

describe('assertAuthenticationContext (OpenID Connect Core §2 acr, §3.1.2.1 acr_values)', () => {
  it('accepts an acr among those asked, and anything when none were asked', () => {
    expect(() => assertAuthenticationContext(user({ acr: 'urn:b' }), 'urn:a urn:b')).not.toThrow()
    expect(() => assertAuthenticationContext(user({}), null)).not.toThrow()
    expect(() => assertAuthenticationContext(null, null)).not.toThrow()
  })

  it.each<[string, Record<string, unknown> | null]>([
    ['a weaker acr', { acr: 'urn:password' }],
    ['no acr at all', {}],
    ['an acr that is not a string', { acr: ['urn:a'] }],
    ['no ID token', null],
  ])('refuses %s with invalid_id_token', (_what, claims) => {
    expect(() => assertAuthenticationContext(claims && user(claims), 'urn:a urn:b')).toThrow(
      expect.objectContaining({ code: 'invalid_id_token' }),
    )
  })
})
