import { describe, expect, it } from 'vitest'
import { createAllowlist, createTargetSelector } from '../../src/shared/allowlist'

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

describe('createTargetSelector', () => {
  const select = createTargetSelector([
    { url: 'https://api.example.com', name: 'origin' },
    { url: 'https://api.example.com/reports/', name: 'reports' },
    { url: 'https://api.example.com/reports/admin', name: 'admin' },
    { url: 'https://api.example.com/reports/', name: 'reports again' },
    'https://other.example.com',
  ])

  it.each([
    ['https://api.example.com/x', 'origin'],
    ['https://api.example.com/reports', 'origin'],
    ['https://api.example.com/reports/2026', 'reports'],
    ['https://api.example.com/reports/admin/users', 'admin'],
    ['https://api.example.com/reports/administrators', 'reports'],
  ])('%s is for the most specific entry: %s', (url, name) => {
    expect((select(url) as { name: string } | undefined)?.name).toBe(name)
  })

  it('takes string entries, and matches nothing it should not', () => {
    expect(select('https://other.example.com/a')).toBe('https://other.example.com')
    expect(select('https://user:pw@api.example.com/reports/x')).toBeUndefined()
    expect(select('https://elsewhere.example.com/')).toBeUndefined()
    expect(select('not a url')).toBeUndefined()
  })

  it('the page decides on the same entries, objects included', () => {
    const allowed = createAllowlist([{ url: 'https://api.example.com/v1/' }])
    expect(allowed('https://api.example.com/v1/x')).toBe(true)
    expect(allowed('https://api.example.com/v2/x')).toBe(false)
  })
})
