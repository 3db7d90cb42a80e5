/**
 * Logout says what it could not do (issue 18.2): `auth.logout()` resolves with what came of the
 * revocation (RFC 7009) as it navigates to the provider's logout, and the session is erased locally
 * whatever the provider answered.
 */
import type { Page } from '@playwright/test'
import { providerCounters } from './support/servers.js'
import { login } from './support/spa-session.js'
import { demo, expect, test } from './support/test'

const revocationEndpoint = `${demo.issuer}/token/revocation`
const discovery = `${demo.issuer}/.well-known/openid-configuration`

/** Calls `auth.logout()` and returns what it resolved with, reported before the page leaves. */
async function logoutResult(page: Page): Promise<unknown> {
  let report: (value: unknown) => void = () => {}
  const reported = new Promise((resolve) => (report = resolve))
  await page.exposeFunction('reportLogout', (value: unknown) => report(value))
  await page.evaluate(() => {
    const reportLogout = (window as unknown as { reportLogout(value: unknown): void }).reportLogout
    void window.auth.logout().then(reportLogout, (error: { code: string }) => reportLogout({ rejected: error.code }))
  })
  const result = await reported
  await page.waitForURL(`${demo.spaOrigin}/`, { waitUntil: 'load' })
  await expect(page.getByTestId('status')).toHaveText('Signed out')
  return result
}

test('logout resolves revoked when the provider revokes', async ({ page }) => {
  await login(page)
  const before = (await providerCounters()).revocation
  expect(await logoutResult(page)).toEqual({ revocation: 'revoked' })
  expect((await providerCounters()).revocation).toBeGreaterThan(before)
})

test('a revocation the provider refuses is failed with its status, and the session still ends', async ({ page }) => {
  await login(page)
  await page.route(revocationEndpoint, (route) => route.fulfill({ status: 401, body: '' }))
  expect(await logoutResult(page)).toEqual({ revocation: 'failed', failure: { code: 'invalid_response', status: 401 } })
  await page.unroute(revocationEndpoint)
  await page.reload()
  await expect(page.getByTestId('status')).toHaveText('Signed out')
})

test('a provider that lets no public client revoke gets no revocation request: not_supported', async ({ page }) => {
  // RFC 8414 §2: the metadata lists how clients authenticate at the revocation endpoint, without `none`.
  await page.route(discovery, async (route) => {
    const response = await route.fetch()
    const metadata = { ...(await response.json()), revocation_endpoint_auth_methods_supported: ['client_secret_basic'] }
    await route.fulfill({ response, json: metadata })
  })
  await login(page)
  const revocations: string[] = []
  page.on('request', (request) => {
    if (request.url() === revocationEndpoint) revocations.push(request.url())
  })
  expect(await logoutResult(page)).toEqual({ revocation: 'not_supported' })
  expect(revocations).toEqual([])
})
