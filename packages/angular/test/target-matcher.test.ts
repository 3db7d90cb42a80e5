import { describe, expect, it } from 'vitest'
import { createTargetMatcher } from '../src/target-matcher.js'

describe('createTargetMatcher', () => {
  it('matches a whole origin', () => {
    const matches = createTargetMatcher(['https://api.example.com'])
    expect(matches('https://api.example.com/anything?x=1')).toBe(true)
    expect(matches('https://api.example.com:8443/')).toBe(false)
    expect(matches('http://api.example.com/')).toBe(false)
  })

  it('matches a path prefix at a segment boundary, after dot segments', () => {
    const matches = createTargetMatcher(['https://api.example.com/v1', { url: 'https://b.example.com/api/' }])
    expect(matches('https://api.example.com/v1')).toBe(true)
    expect(matches('https://api.example.com/v1/me')).toBe(true)
    expect(matches('https://api.example.com/v10')).toBe(false)
    expect(matches('https://api.example.com/v1/../admin')).toBe(false)
    expect(matches('https://b.example.com/api/x')).toBe(true)
    expect(matches('https://b.example.com/api')).toBe(false)
  })

  it('resolves relative URLs against the document and refuses user info', () => {
    const matches = createTargetMatcher([`${location.origin}/api/`])
    expect(matches('/api/me')).toBe(true)
    expect(matches('/other')).toBe(false)
    expect(matches(`${location.protocol}//user:pw@${location.host}/api/me`)).toBe(false)
    expect(matches('http://[bad')).toBe(false)
  })

  it('throws for an entry that is not absolute', () => {
    expect(() => createTargetMatcher(['/api/'])).toThrow(TypeError)
  })
})
