import { describe, expect, it } from 'vitest'
import { isLoopbackHost } from '../../src/protocol/loopback'
import { resolveConfig } from '../../src/worker/config'
import type { AuthClientOptions } from '../../src/shared/types'

const ORIGIN = 'https://app.example.com'
const base: AuthClientOptions = {
  issuer: 'https://id.example.com',
  clientId: 'spa',
  redirectUri: 'https://app.example.com/callback',
}

function codeOf(options: Partial<AuthClientOptions> | unknown): string | undefined {
  try {
    resolveConfig({ ...base, ...(options as object) } as AuthClientOptions, ORIGIN)
    return undefined
  } catch (error) {
    return (error as { code?: string }).code
  }
}

describe('resolveConfig', () => {
  it('applies secure defaults', () => {
    expect(resolveConfig(base, ORIGIN)).toEqual({
      issuer: 'https://id.example.com',
      clientId: 'spa',
      redirectUri: 'https://app.example.com/callback',
      scope: 'openid',
      postLogoutRedirectUri: null,
      allowedOrigins: [],
      dpop: null,
      persistence: 'indexeddb',
      refreshLeewaySeconds: 30,
      providerTimeoutMs: 30_000,
      dangerouslyAllowServiceWorkers: [],
      par: null,
      resource: [],
      idleTimeoutSeconds: null,
      idleWarningSeconds: 0,
    })
  })

  it('takes an idle timeout with a warning below it: 60 s by default, at most half the timeout', () => {
    const idle = (options: Partial<AuthClientOptions>) => {
      const { idleTimeoutSeconds, idleWarningSeconds } = resolveConfig({ ...base, ...options }, ORIGIN)
      return [idleTimeoutSeconds, idleWarningSeconds]
    }
    expect(idle({ idleTimeoutSeconds: 900 })).toEqual([900, 60])
    expect(idle({ idleTimeoutSeconds: 90 })).toEqual([90, 45])
    expect(idle({ idleTimeoutSeconds: 900, idleWarningSeconds: 120 })).toEqual([900, 120])
    expect(idle({ idleTimeoutSeconds: 5, idleWarningSeconds: 0 })).toEqual([5, 0])
    expect(idle({ idleTimeoutSeconds: 2_147_483 })).toEqual([2_147_483, 60])
    for (const options of [
      { idleTimeoutSeconds: 0 },
      { idleTimeoutSeconds: -1 },
      { idleTimeoutSeconds: Number.NaN },
      { idleTimeoutSeconds: Infinity },
      { idleTimeoutSeconds: 2_147_484 },
      { idleTimeoutSeconds: '600' },
      { idleTimeoutSeconds: 60, idleWarningSeconds: 60 },
      { idleTimeoutSeconds: 60, idleWarningSeconds: -1 },
      { idleTimeoutSeconds: 60, idleWarningSeconds: '10' },
    ]) {
      expect(codeOf(options), JSON.stringify(options)).toBe('config_error')
    }
  })

  it('takes par as a boolean only, and resource indicators as absolute URIs without a fragment (RFC 8707 §2)', () => {
    expect(resolveConfig({ ...base, par: false }, ORIGIN).par).toBe(false)
    expect(codeOf({ par: 'yes' })).toBe('config_error')
    expect(resolveConfig({ ...base, resource: 'https://api.example.com/' }, ORIGIN).resource).toEqual([
      'https://api.example.com/',
    ])
    expect(resolveConfig({ ...base, resource: ['https://a.example.com', 'urn:example:b'] }, ORIGIN).resource).toEqual([
      'https://a.example.com',
      'urn:example:b',
    ])
    for (const resource of ['/relative', 'https://api.example.com/#x', [42], '']) {
      expect(codeOf({ resource }), JSON.stringify(resource)).toBe('config_error')
    }
  })

  it('keeps a provider timeout within what timers allow', () => {
    expect(resolveConfig({ ...base, providerTimeoutMs: 1 }, ORIGIN).providerTimeoutMs).toBe(1)
    expect(resolveConfig({ ...base, providerTimeoutMs: 2_000 }, ORIGIN).providerTimeoutMs).toBe(2_000)
    expect(resolveConfig({ ...base, providerTimeoutMs: 2_147_483_647 }, ORIGIN).providerTimeoutMs).toBe(2_147_483_647)
  })

  it('normalises allowed origins and keeps path prefixes', () => {
    const config = resolveConfig(
      { ...base, allowedOrigins: ['https://api.example.com', 'https://api.example.com/v1/', 'http://127.0.0.1:9100'] },
      ORIGIN,
    )
    expect(config.allowedOrigins.map((target) => target.url)).toEqual([
      'https://api.example.com',
      'https://api.example.com/v1/',
      'http://127.0.0.1:9100',
    ])
    expect(config.allowedOrigins.every((target) => target.api === null)).toBe(true)
  })

  it('resolves API entries: their own grant parameters, Bearer only when asked', () => {
    const config = resolveConfig(
      {
        ...base,
        allowedOrigins: [
          { url: 'https://graph.example.com/v1.0/', scope: 'User.Read' },
          { url: 'https://api.example.com', resource: 'https://api.example.com/', dpop: false },
          { url: 'https://auth0.example.com/', resource: ['urn:a', 'urn:b'], tokenParams: { audience: 'urn:a' } },
        ],
      },
      ORIGIN,
    )
    expect(config.allowedOrigins).toEqual([
      {
        url: 'https://graph.example.com/v1.0/',
        api: { key: 'https://graph.example.com/v1.0/', scope: 'User.Read', resource: [], tokenParams: {}, dpop: true },
      },
      {
        url: 'https://api.example.com',
        api: {
          key: 'https://api.example.com',
          scope: null,
          resource: ['https://api.example.com/'],
          tokenParams: {},
          dpop: false,
        },
      },
      {
        url: 'https://auth0.example.com/',
        api: {
          key: 'https://auth0.example.com/',
          scope: null,
          resource: ['urn:a', 'urn:b'],
          tokenParams: { audience: 'urn:a' },
          dpop: true,
        },
      },
    ])
  })

  it.each<[string, Partial<AuthClientOptions> | unknown]>([
    ['a non-https issuer', { issuer: 'http://id.example.com' }],
    ['an issuer with a query', { issuer: 'https://id.example.com/?x=1' }],
    ['a relative issuer', { issuer: '/issuer' }],
    ['no client id', { clientId: '' }],
    ['a redirect on another origin', { redirectUri: 'https://evil.example.com/callback' }],
    ['a redirect with a fragment', { redirectUri: 'https://app.example.com/callback#x' }],
    ['a plain-http allowed origin', { allowedOrigins: ['http://api.example.com'] }],
    ['an allowed origin with a query', { allowedOrigins: ['https://api.example.com/?a=1'] }],
    ['an allowed origin with credentials', { allowedOrigins: ['https://u:p@api.example.com'] }],
    ['allowedOrigins not an array', { allowedOrigins: 'https://api.example.com' }],
    ['an API entry without a url', { allowedOrigins: [{ scope: 'x' }] }],
    ['an API entry on plain http', { allowedOrigins: [{ url: 'http://api.example.com', scope: 'x' }] }],
    ['an API entry with an empty scope', { allowedOrigins: [{ url: 'https://api.example.com', scope: ' ' }] }],
    ['a relative resource', { allowedOrigins: [{ url: 'https://api.example.com', resource: '/api' }] }],
    ['a resource with a fragment', { allowedOrigins: [{ url: 'https://api.example.com', resource: 'urn:a#b' }] }],
    ['a resource not a string', { allowedOrigins: [{ url: 'https://api.example.com', resource: [1] }] }],
    ['tokenParams not an object', { allowedOrigins: [{ url: 'https://api.example.com', tokenParams: 'a=b' }] }],
    [
      'tokenParams setting the grant',
      { allowedOrigins: [{ url: 'https://a.example.com', tokenParams: { grant_type: 'x' } }] },
    ],
    [
      'tokenParams setting a resource',
      { allowedOrigins: [{ url: 'https://a.example.com', tokenParams: { resource: 'x' } }] },
    ],
    ['a tokenParams value not a string', { allowedOrigins: [{ url: 'https://a.example.com', tokenParams: { a: 1 } }] }],
    ['an API entry with a non-boolean dpop', { allowedOrigins: [{ url: 'https://a.example.com', dpop: 'no' }] }],
    [
      'two API entries for one url',
      {
        allowedOrigins: [
          { url: 'https://a.example.com/', scope: 'x' },
          { url: 'https://a.example.com/', scope: 'y' },
        ],
      },
    ],
    ['an unknown persistence', { persistence: 'localStorage' }],
    ['a negative leeway', { refreshLeewaySeconds: -1 }],
    ['a non-boolean dpop', { dpop: 'yes' }],
    ['a zero provider timeout', { providerTimeoutMs: 0 }],
    ['a negative provider timeout', { providerTimeoutMs: -1 }],
    ['a sub-millisecond provider timeout', { providerTimeoutMs: 0.5 }],
    ['a provider timeout past what timers keep', { providerTimeoutMs: 2_147_483_648 }],
    ['an infinite provider timeout', { providerTimeoutMs: Infinity }],
    ['a NaN provider timeout', { providerTimeoutMs: NaN }],
    ['a provider timeout as a string', { providerTimeoutMs: '2000' }],
    ['a javascript: post-logout URI', { postLogoutRedirectUri: 'javascript:alert(1)' }],
  ])('refuses %s with config_error', (_, options) => {
    expect(codeOf(options)).toBe('config_error')
  })

  it('accepts plain http for loopback hosts only', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true)
    expect(isLoopbackHost('127.10.0.3')).toBe(true)
    expect(isLoopbackHost('localhost')).toBe(true)
    expect(isLoopbackHost('[::1]')).toBe(true)
    expect(isLoopbackHost('128.0.0.1')).toBe(false)
    expect(isLoopbackHost('localhost.evil.test')).toBe(false)
    expect(isLoopbackHost('127.0.0.1.evil.test')).toBe(false)
  })
})
