import { describe, expect, it } from 'vitest'
import { resolveConfig } from '../../src/worker/config'
import { pinnedResolver } from '../../src/worker/pinned-config'

const ORIGIN = 'https://app.example.test'
const pinned = {
  issuer: 'https://idp.example.test',
  clientId: 'spa',
  redirectUri: `${ORIGIN}/callback`,
  allowedOrigins: ['https://api.example.test/v1/'],
  persistence: 'memory' as const,
  dpop: true,
  resource: ['https://api.example.test/'],
}
const resolve = pinnedResolver(pinned)

describe('pinned mode', () => {
  it("takes the worker's configuration whatever the page leaves out, and the page's agreeing values", () => {
    const config = resolveConfig(pinned, ORIGIN)
    expect(resolve({} as never, ORIGIN)).toEqual(config)
    expect(resolve({ ...pinned, dpop: null, postLogoutRedirectUri: null, par: null }, ORIGIN)).toEqual(config)
    // One resource indicator, as a string or in a list: the same.
    expect(resolve({ ...pinned, resource: 'https://api.example.test/' }, ORIGIN)).toEqual(config)
    // Spelled differently, resolved the same: `https://api.example.test/v1/` either way.
    expect(resolve({ ...pinned, allowedOrigins: ['https://API.example.test/v1/'] }, ORIGIN)).toEqual(config)
  })

  it.each([
    ['allowedOrigins', ['https://api.example.test/v1/', 'https://evil.example.test']],
    ['allowedOrigins', []],
    ['dpop', false],
    ['persistence', 'indexeddb'],
    ['issuer', 'https://evil.example.test'],
    ['clientId', 'other'],
    ['redirectUri', `${ORIGIN}/elsewhere`],
    ['postLogoutRedirectUri', `${ORIGIN}/bye`],
    ['scope', 'openid admin'],
    ['refreshLeewaySeconds', 5],
    ['providerTimeoutMs', 10],
    ['dangerouslyAllowServiceWorkers', [`${ORIGIN}/sw.js`]],
    ['par', false],
    ['resource', 'https://other.example.test/'],
    ['idleTimeoutSeconds', 600],
  ])('refuses a page that says %s differently, naming it', (name, value) => {
    expect(() => resolve({ ...pinned, [name]: value }, ORIGIN)).toThrow(
      expect.objectContaining({
        code: 'config_error',
        message: `${name} differs from the worker's pinned configuration`,
      }),
    )
  })

  it('compares the idle options, and wants the page to give the idle timeout it must watch activity for', () => {
    const idle = pinnedResolver({ ...pinned, idleTimeoutSeconds: 900 })
    expect(idle({ ...pinned, idleTimeoutSeconds: 900 }, ORIGIN)).toMatchObject({
      idleTimeoutSeconds: 900,
      idleWarningSeconds: 60,
    })
    expect(idle({ ...pinned, idleTimeoutSeconds: 900, idleWarningSeconds: 60 }, ORIGIN).idleWarningSeconds).toBe(60)
    expect(() => idle({ ...pinned, idleTimeoutSeconds: 900, idleWarningSeconds: 30 }, ORIGIN)).toThrow(
      expect.objectContaining({ message: "idleWarningSeconds differs from the worker's pinned configuration" }),
    )
    expect(() => idle({ ...pinned, idleTimeoutSeconds: 300 }, ORIGIN)).toThrow(
      expect.objectContaining({ message: "idleTimeoutSeconds differs from the worker's pinned configuration" }),
    )
    expect(() => idle(pinned, ORIGIN)).toThrow(
      expect.objectContaining({
        code: 'config_error',
        message: "idleTimeoutSeconds: the page's options must give it too",
      }),
    )
  })

  it('reports an invalid page value as resolveConfig does', () => {
    expect(() => resolve({ ...pinned, allowedOrigins: ['not a url'] }, ORIGIN)).toThrow(
      expect.objectContaining({ code: 'config_error' }),
    )
  })
})
