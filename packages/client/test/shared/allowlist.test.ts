import { describe, expect, it } from 'vitest'
import { createAllowlist } from '../../src/shared/allowlist'

describe('createAllowlist', () => {
  const allowed = createAllowlist([
    'https://api.example.com',
    'https://data.example.com/v1/',
    'https://x.example.com/v2',
  ])

  it.each([
    'https://api.example.com/',
    'https://api.example.com/anything?q=1',
    'https://data.example.com/v1/items',
    'https://x.example.com/v2',
    'https://x.example.com/v2/items',
  ])('allows %s', (url) => expect(allowed(url)).toBe(true))

  it.each([
    'http://api.example.com/',
    'https://api.example.com:444/',
    'https://api.example.com.evil.test/',
    'https://evil.test/?https://api.example.com',
    'https://data.example.com/v2/items',
    'https://data.example.com/v1',
    'https://data.example.com/v1/../admin',
    'https://data.example.com/v1/%2e%2e/admin',
    'https://x.example.com/v20',
    'https://user:pw@api.example.com/',
    'not a url',
  ])('refuses %s', (url) => expect(allowed(url)).toBe(false))

  it('allows nothing when empty', () => {
    expect(createAllowlist([])('https://api.example.com/')).toBe(false)
  })
})
