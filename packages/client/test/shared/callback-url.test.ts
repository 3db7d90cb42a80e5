import { describe, expect, it } from 'vitest'
import { isCallbackUrl } from '../../src/shared/callback-url'

const REDIRECT = 'https://app.example.test/callback'

describe('isCallbackUrl', () => {
  it.each([
    ['code and state', `${REDIRECT}?code=c&state=s`, true],
    ['an error response (RFC 6749 §4.1.2.1)', `${REDIRECT}?error=access_denied`, true],
    ['code and state among other parameters', `${REDIRECT}?x=1&state=s&code=c#f`, true],
    ['a code without state', `${REDIRECT}?code=c`, false],
    ['state without a code', `${REDIRECT}?state=s`, false],
    ['the redirect URI without a response', REDIRECT, false],
    ['another path on the same origin', 'https://app.example.test/other?code=c&state=s', false],
    ['a path below the redirect URI', `${REDIRECT}/x?code=c&state=s`, false],
    ['another origin', 'https://evil.example.test/callback?code=c&state=s', false],
    ['another port', 'https://app.example.test:8443/callback?code=c&state=s', false],
  ])('%s: %s', (_, url, expected) => {
    expect(isCallbackUrl(new URL(url), REDIRECT)).toBe(expected)
  })
})
