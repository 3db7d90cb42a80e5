import type { Page } from '@playwright/test'
import { settleFetch } from './support/fetch-outcome'
import { evaluateWith } from './support/in-page'
import {
  apiSettings,
  clearRequestLog,
  lastAccessTokenLifetimeMs,
  providerCounters,
  providerSettings,
  requestLog,
  revokeIssuedAccessTokens,
  revokeIssuedRefreshTokens,
  SHORT_TOKEN_TTL_SECONDS,
} from './support/servers.js'
import { login, logout, openSignedInTab } from './support/spa-session.js'
import { demo, expect, test } from './support/test'

const me = `${demo.apiOrigin}/api/me`

/** Records every state the page's client reports, on `window.states`. */
async function recordStates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { states: unknown[] }
    w.states = []
    window.auth.subscribe((state) => w.states.push(state))
  })
}

async function statesOf(page: Page): Promise<{ authenticated: boolean; reason?: string; expiresAt: number | null }[]> {
  return page.evaluate(() => (window as unknown as { states: never[] }).states)
}

/**
 * In the page: waits until the access token is due for refresh (half its lifetime before expiry),
 * then sends `count` concurrent `auth.fetch` calls to `url`; resolves to their statuses or error codes.
 */
async function fireAtExpiry(page: Page, count: number, url = me): Promise<(number | string)[]> {
  // The state does not say when the token arrived: its lifetime comes from the token itself.
  const lifetimeMs = await lastAccessTokenLifetimeMs()
  return evaluateWith(
    page,
    { settleFetch },
    async ({ settleFetch }, { count, url, lifetimeMs }) => {
      const { expiresAt } = await window.auth.getState()
      if (expiresAt === null) throw new Error('no expiry')
      const due = expiresAt - lifetimeMs / 2
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now() + 100)))
      return Promise.all(Array.from({ length: count }, () => settleFetch(window.auth.fetch(url))))
    },
    { count, url, lifetimeMs },
  )
}

/** An `auth.fetch` in `tab` is refused with `login_required`, and nothing reached the API. */
async function expectLoginRequiredWithoutRequest(tab: Page): Promise<void> {
  await clearRequestLog(demo.apiOrigin)
  const code = await tab.evaluate((url) => window.auth.fetch(url).catch((e: { code: string }) => e.code), me)
  expect(code).toBe('login_required')
  expect((await requestLog(demo.apiOrigin)).filter((r) => r.path === '/api/me')).toEqual([])
}

test.describe('refresh', () => {
  test.beforeEach(async () => {
    await providerSettings({ accessTokenTtl: SHORT_TOKEN_TTL_SECONDS })
  })

  test('50 concurrent fetches at expiry cause exactly one refresh, all 200', async ({ page }) => {
    await login(page)
    await recordStates(page)
    const before = await providerCounters()
    const statuses = await fireAtExpiry(page, 50)
    expect(statuses).toEqual(Array(50).fill(200))
    const after = await providerCounters()
    expect(after.token.refresh_token - before.token.refresh_token).toBe(1)
    // token_updater, without the token: listeners get the new expiry.
    const states = await statesOf(page)
    expect(states).toHaveLength(1)
    expect(states[0]).toMatchObject({ authenticated: true, expiresAt: expect.any(Number) })
  })

  test('3 tabs × 10 concurrent fetches at expiry: one refresh across the tabs, no invalid_grant', async ({
    page,
    context,
  }) => {
    await login(page)
    const tabs = [page, await openSignedInTab(context), await openSignedInTab(context)]
    const before = await providerCounters()
    const results = await Promise.all(tabs.map((tab) => fireAtExpiry(tab, 10)))
    expect(results.flat()).toEqual(Array(30).fill(200))
    const after = await providerCounters()
    expect(after.token.refresh_token - before.token.refresh_token).toBe(1)
    expect(after.errors.invalid_grant ?? 0).toBe(before.errors.invalid_grant ?? 0)
  })

  test('a network failure during refresh keeps the session; the next call after the wait retries', async ({ page }) => {
    await login(page)
    await providerSettings({ tokenEndpoint: 'down' })
    expect(await fireAtExpiry(page, 1)).toEqual(['network_error'])
    expect(await page.evaluate(() => window.auth.isAuthenticated())).toBe(true)
    await providerSettings({ tokenEndpoint: 'up' })
    // The first wait after a failure is at most 1 s (the wait itself: offline.spec.ts).
    await page.waitForTimeout(1_050)
    const status = await page.evaluate((url) => window.auth.fetch(url).then((r) => r.status), me)
    expect(status).toBe(200)
  })

  test('a refresh token revoked at the provider ends the session in every tab', async ({ page, context }) => {
    await login(page)
    const other = await openSignedInTab(context)
    await recordStates(other)
    await revokeIssuedRefreshTokens()

    expect(await fireAtExpiry(page, 3)).toEqual(Array(3).fill('login_required'))
    await expect(other.getByTestId('status')).toHaveText('Signed out')
    await expect
      .poll(() => statesOf(other))
      .toEqual([expect.objectContaining({ authenticated: false, reason: 'login_required' })])
    await expectLoginRequiredWithoutRequest(other)
  })
})

test('a 401 invalid_token from the API causes one refresh and one retry', async ({ page }) => {
  await login(page)
  await apiSettings({ checkRevocation: true })
  // The provider revokes every access token it issued; the API now refuses the current one.
  await revokeIssuedAccessTokens()
  await clearRequestLog(demo.apiOrigin)
  const before = await providerCounters()
  const status = await page.evaluate((url) => window.auth.fetch(url).then((r) => r.status), me)
  expect(status).toBe(200)
  expect((await providerCounters()).token.refresh_token - before.token.refresh_token).toBe(1)
  const calls = (await requestLog(demo.apiOrigin)).filter((r) => r.path === '/api/me' && r.method === 'GET')
  expect(calls).toHaveLength(2)
})

test('logout in one tab ends the session in the others before it returns', async ({ page, context }) => {
  await login(page)
  const other = await openSignedInTab(context)
  await recordStates(other)

  await logout(page)
  // No waiting on the other tab: by the time logout returned, it had let go of the session.
  await expectLoginRequiredWithoutRequest(other)
  expect(await statesOf(other)).toEqual([expect.objectContaining({ authenticated: false })])
})
