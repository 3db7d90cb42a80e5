/**
 * A token per API (RFC 8707 resource indicators), against the demo's provider: the demo's API takes
 * the session's DPoP-bound token, its reports (`/reports/`, audience `<api>/reports`, an API that
 * predates DPoP) a Bearer token of their own, obtained with a `refresh_token` grant on first use.
 */
import type { Page } from '@playwright/test'
import { decodeJwt } from 'jose'
import { issuedTokens, providerCounters, providerSettings } from './support/servers.js'
import { login, logout, openSignedInTab } from './support/spa-session.js'
import { demo, expect, test } from './support/test'

const api = `${demo.apiOrigin}/api/me`
const reports = `${demo.apiOrigin}/reports/summary`
const reportsAudience = `${demo.apiOrigin}/reports`

/** What `auth.fetch(url)` (or another client's) gives in the page: status and body, or the AuthError. */
function call(page: Page, url: string, client: 'auth' | 'other' = 'auth') {
  return page.evaluate(
    async ({ url, client }) => {
      const auth = client === 'auth' ? window.auth : (window as unknown as { other: typeof window.auth }).other
      try {
        const response = await auth.fetch(url)
        return { status: response.status, body: (await response.json()) as Record<string, unknown> }
      } catch (error) {
        const { name, code, oauthError } = error as { name?: string; code?: string; oauthError?: string }
        return { name, code, oauthError }
      }
    },
    { url, client },
  )
}

/** The audiences of the access tokens the provider issued, in order. */
async function issuedAudiences(): Promise<unknown[]> {
  return (await issuedTokens()).access.map((token) => decodeJwt(token).aud)
}

test('two APIs, two tokens: each API sees only its own audience, DPoP for one and Bearer for the other', async ({
  page,
}) => {
  const earlier = (await issuedAudiences()).length
  const audiences = async () => (await issuedAudiences()).slice(earlier)
  await login(page)
  expect(await audiences()).toEqual([demo.apiOrigin])
  const before = await providerCounters()

  expect(await call(page, api)).toMatchObject({ status: 200, body: { audience: demo.apiOrigin, tokenType: 'DPoP' } })
  expect(await call(page, reports)).toMatchObject({
    status: 200,
    body: { audience: reportsAudience, tokenType: 'Bearer', sub: 'alice' },
  })
  // Obtained once, on first use, then kept: a second call sends no grant.
  expect(await call(page, reports)).toMatchObject({ status: 200 })
  expect((await providerCounters()).token.refresh_token - before.token.refresh_token).toBe(1)
  expect(await audiences()).toEqual([demo.apiOrigin, reportsAudience])
  // The session's state is the session's: nothing about the reports' token.
  expect(await page.evaluate(() => window.auth.getState())).toMatchObject({ authenticated: true, tokenType: 'DPoP' })

  // A reload reads both from the vault: no grant.
  await page.reload()
  await expect(page.getByTestId('status')).toHaveText('Signed in')
  expect(await call(page, reports)).toMatchObject({ status: 200, body: { audience: reportsAudience } })
  expect((await providerCounters()).token.refresh_token - before.token.refresh_token).toBe(1)

  // Logout revokes every token the session holds: the refresh token, and both access tokens.
  expect((await providerCounters()).revocation).toBe(0)
  const revocations = async () => {
    const counters = await providerCounters()
    // oidc-provider cannot revoke its JWT access tokens (RFC 7009 §2.2.1 unsupported_token_type): still tried.
    return counters.revocation + (counters.errors.unsupported_token_type ?? 0)
  }
  await logout(page)
  expect(await revocations()).toBe(3)
})

test("three tabs ask for the reports' token at once, and again at its expiry: one grant each time, no invalid_grant", async ({
  page,
  context,
}) => {
  // Long enough that a burst on this busy machine ends within half of it, when the token is due.
  const ttlSeconds = 10
  await providerSettings({ accessTokenTtl: ttlSeconds })
  await login(page)
  const tabs = [page, await openSignedInTab(context), await openSignedInTab(context)]
  const before = await providerCounters()
  const fire = () =>
    Promise.all(
      tabs.map((tab) =>
        tab.evaluate(async (url) => {
          const settle = (r: Promise<Response>) =>
            r.then(
              (x) => x.status,
              (e: Error) => e.name,
            )
          return Promise.all(Array.from({ length: 5 }, () => settle(window.auth.fetch(url))))
        }, reports),
      ),
    )
  // The provider's list of issued tokens runs across tests: count from here.
  const reportsTokens = async () => (await issuedAudiences()).filter((aud) => aud === reportsAudience).length
  const earlier = await reportsTokens()
  const grants = async () => (await reportsTokens()) - earlier
  expect((await fire()).flat()).toEqual(Array(15).fill(200))
  expect(await grants()).toBe(1)
  // Past half its lifetime the token is due: every tab wants a new one at once.
  await page.waitForTimeout((ttlSeconds / 2) * 1000 + 300)
  expect((await fire()).flat()).toEqual(Array(15).fill(200))
  expect(await grants()).toBe(2)
  const after = await providerCounters()
  expect(after.errors.invalid_grant ?? 0).toBe(before.errors.invalid_grant ?? 0)
  // The default token is refreshed at its own expiry, with the refresh token the reports' grant rotated.
  expect(await call(page, api)).toMatchObject({ status: 200 })
  expect((await providerCounters()).errors.invalid_grant ?? 0).toBe(0)
  for (const tab of tabs) await expect(tab.getByTestId('status')).toHaveText('Signed in')
})

test('a provider refusing one API (invalid_target) fails that call only: the session and the other APIs work', async ({
  page,
}) => {
  await login(page)
  // Another client of the same session (the package's own worker), with an API the login never named.
  await page.evaluate(
    ({ apiOrigin, options }) => {
      ;(window as unknown as { other: unknown }).other = window.createAuthClient({
        ...options,
        redirectUri: `${location.origin}/callback-alt`,
        allowedOrigins: [
          ...options.allowedOrigins,
          { url: `${apiOrigin}/reports/archive/`, resource: `${apiOrigin}/archive` },
        ],
      })
    },
    {
      apiOrigin: demo.apiOrigin,
      options: {
        issuer: demo.issuer,
        clientId: demo.clientId,
        scope: demo.scope,
        allowedOrigins: [
          `${demo.apiOrigin}/api/`,
          { url: `${demo.apiOrigin}/reports/`, scope: 'reports:read', resource: reportsAudience, dpop: false },
        ] as (string | { url: string })[],
      },
    },
  )
  expect(await call(page, reports, 'other')).toMatchObject({ status: 200 })
  expect(await call(page, `${demo.apiOrigin}/reports/archive/2026`, 'other')).toEqual({
    name: 'AuthError',
    code: 'token_error',
    oauthError: 'invalid_target',
  })
  expect(await call(page, reports, 'other')).toMatchObject({ status: 200, body: { audience: reportsAudience } })
  expect(await call(page, api, 'other')).toMatchObject({ status: 200 })
  expect(await call(page, api)).toMatchObject({ status: 200 })
  await expect(page.getByTestId('status')).toHaveText('Signed in')
  expect(await page.evaluate(() => window.auth.isAuthenticated())).toBe(true)
})
