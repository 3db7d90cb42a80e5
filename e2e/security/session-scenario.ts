/**
 * The session life the security specs look at: a login, a refresh, a hundred `auth.fetch` calls of
 * every kind, a logout; in `indexeddb` mode (the demo's own client) or `memory` mode (a client the
 * test creates, on the demo's second redirect URI).
 */
import type { Page } from '@playwright/test'
import type { AuthClientOptions } from '@oauth-enclave/client'
import { signInAtProvider } from '../support/provider-login.js'
import { apiSettings, issuedTokens, providerCounters, revokeIssuedAccessTokens } from '../support/servers.js'
import { demo, expect } from '../support/test'

/** Every token value the provider has issued so far: access, refresh and ID tokens. */
export async function allIssuedTokens(): Promise<string[]> {
  const { access, refresh, id } = await issuedTokens()
  return [...access, ...refresh, ...id]
}

/** The access and refresh tokens the provider issued last: the ones the worker holds now. */
export async function currentTokens(): Promise<{ access: string; refresh: string }> {
  const { access, refresh } = await issuedTokens()
  const current = { access: access.at(-1), refresh: refresh.at(-1) }
  expect(current.access).toEqual(expect.any(String))
  expect(current.refresh).toEqual(expect.any(String))
  return current as { access: string; refresh: string }
}

/**
 * Makes the API refuse every access token issued so far (`invalid_token`), so the next
 * `auth.fetch` to it refreshes and tries once more (RFC 6750 §3.1): a refresh now, without
 * waiting for an expiry.
 */
export async function refuseIssuedAccessTokens(): Promise<void> {
  await apiSettings({ checkRevocation: true })
  await revokeIssuedAccessTokens()
}

/** Options of a `persistence: 'memory'` client on the demo page, at the provider's second redirect URI. */
export function memoryClientOptions(overrides: Partial<AuthClientOptions> = {}): AuthClientOptions {
  return {
    issuer: demo.issuer,
    clientId: demo.clientId,
    redirectUri: demo.altRedirectUri,
    scope: demo.scope,
    allowedOrigins: [`${demo.apiOrigin}/api/`],
    postLogoutRedirectUri: `${demo.spaOrigin}/`,
    persistence: 'memory',
    ...overrides,
  }
}

/**
 * Logs in with a `persistence: 'memory'` client kept on `window.memoryAuth`: created on the demo
 * page to start the login, created again on the callback page to finish it. The demo's own client
 * ignores that callback (it is not its redirect URI) and stays signed out.
 */
export async function loginWithMemoryClient(page: Page, name = 'mallory-target'): Promise<void> {
  const options = memoryClientOptions()
  await page.goto('/')
  await expect(page.getByTestId('status')).toHaveText('Signed out')
  await page.evaluate((options) => {
    window.memoryAuth = window.createAuthClient(options)
    void window.memoryAuth.login()
  }, options)
  await signInAtProvider(page, name)
  await page.waitForURL(`${demo.altRedirectUri}?**`)
  const user = await page.evaluate(async (options) => {
    window.memoryAuth = window.createAuthClient(options)
    return (await window.memoryAuth.handleRedirectCallback()).user?.sub
  }, options)
  expect(user).toBe(name)
  expect(page.url()).toBe(demo.altRedirectUri)
}

export type ClientName = 'auth' | 'memoryAuth'

/**
 * A refresh, then a hundred `auth.fetch` calls through `client` (for the demo's own, one to its
 * second API first, whose token is its own): JSON reads, uploads of a string,
 * a buffer, form data and a blob, binary downloads, and calls that go out without credentials.
 * Fails unless every call was answered 200 and the refresh happened exactly once.
 */
export async function exerciseSession(page: Page, client: ClientName = 'auth', count = 100): Promise<void> {
  const refreshesBefore = (await providerCounters()).token.refresh_token
  await refuseIssuedAccessTokens()
  const statuses = await page.evaluate(
    async ({ client, api, outsider, count }) => {
      const auth = window[client]!
      const out: string[] = []
      // The demo's client has a second API with a token of its own, obtained by a grant of its own.
      if (client === 'auth') {
        const response = await auth.fetch(`${api}/reports/summary`)
        await response.arrayBuffer()
        out.push(`reports:${response.status}`)
      }
      const bytes = new Uint8Array(4096).map((_, i) => i % 251)
      for (let i = 0; i < count; i += 1) {
        let response: Response
        switch (i % 8) {
          case 0:
            response = await auth.fetch(`${api}/api/me`)
            break
          case 1:
            response = await auth.fetch(`${api}/api/echo`, { method: 'POST', body: `message ${i}` })
            break
          case 2:
            response = await auth.fetch(`${api}/api/echo`, { method: 'PUT', body: bytes.buffer.slice(0) })
            break
          case 3:
            response = await auth.fetch(`${api}/api/data?bytes=20000`)
            break
          case 4: {
            const form = new FormData()
            form.append('field', `value ${i}`)
            response = await auth.fetch(`${api}/api/echo`, { method: 'PATCH', body: form })
            break
          }
          case 5:
            response = await auth.fetch(`${api}/api/blob?bytes=70000`)
            break
          case 6:
            response = await auth.fetch(new Request(`${api}/api/echo`, { method: 'DELETE', body: new Blob([bytes]) }))
            break
          default:
            // Not an allowed target: a plain fetch, no credentials.
            response = await auth.fetch(`${outsider}/not-allowed/${i}`)
        }
        await response.arrayBuffer()
        out.push(`${i % 8}:${response.status}`)
      }
      return out
    },
    { client, api: demo.apiOrigin, outsider: demo.outsiderOrigin, count },
  )
  expect(statuses.filter((status) => !status.endsWith(':200'))).toEqual([])
  expect((await providerCounters()).token.refresh_token).toBe(refreshesBefore + (client === 'auth' ? 2 : 1))
}
