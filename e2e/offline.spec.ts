/**
 * Offline and transient failures (issue 15 §4, issue 18.1): a refresh that fails for a network
 * reason keeps the session, and the tab then waits before asking the provider again; only the
 * provider's definite answer ends the session.
 *
 * Facts of this Chromium that the tests rely on, seen by hand: `page.route` and `context.route`
 * see the dedicated worker's requests; `context.setOffline` makes the worker's `fetch` fail and its
 * `navigator.onLine` false, but fires no `online`/`offline` event in the worker (only in the page),
 * and CDP `Network.emulateNetworkConditions` on the worker's own target answers "Not supported".
 */
import type { BrowserContext, Page, Route } from '@playwright/test'
import { evaluateWith } from './support/in-page'
import {
  lastAccessTokenLifetimeMs,
  providerCounters,
  providerSettings,
  SHORT_TOKEN_TTL_SECONDS,
} from './support/servers.js'
import { login } from './support/spa-session.js'
import { demo, expect, test } from './support/test'

const me = `${demo.apiOrigin}/api/me`
const tokenEndpoint = `${demo.issuer}/token`

/** What one `auth.fetch` came to: its status, or the rejection's code and, if any, its status. */
type Outcome = number | { code: string; status?: number }

/** In the page: `count` concurrent `auth.fetch(url)`, settled. Self-contained (support/in-page.ts). */
function burst(count: number, url: string): Promise<Outcome[]> {
  return Promise.all(
    Array.from({ length: count }, () =>
      window.auth.fetch(url).then(
        (response): Outcome => response.status,
        (error: { code: string; status?: number }): Outcome =>
          error.status === undefined ? { code: error.code } : { code: error.code, status: error.status },
      ),
    ),
  )
}

const calls = (page: Page, count: number): Promise<Outcome[]> =>
  evaluateWith(page, { burst }, ({ burst }, { count, url }) => burst(count, url), { count, url: me })

/** Resolves once the page's access token is due for refresh: half its (short) lifetime before expiry. */
async function untilRefreshDue(page: Page): Promise<void> {
  const lifetimeMs = await lastAccessTokenLifetimeMs()
  await page.evaluate(async (lifetimeMs) => {
    const { expiresAt } = await window.auth.getState()
    if (expiresAt === null) throw new Error('no expiry')
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - lifetimeMs / 2 - Date.now() + 100)))
  }, lifetimeMs)
}

/** Records every state the page's client reports, on `window.states`. */
async function recordStates(page: Page): Promise<() => Promise<{ authenticated: boolean; reason?: string }[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { states: unknown[] }
    w.states = []
    window.auth.subscribe((state) => w.states.push(state))
  })
  return () => page.evaluate(() => (window as unknown as { states: never[] }).states)
}

/** Token requests the browser sent (a test's route answers them or not), counted as they leave. */
function countTokenRequests(context: BrowserContext): () => number {
  let count = 0
  context.on('request', (request) => {
    if (request.url() === tokenEndpoint && request.method() === 'POST') count++
  })
  return () => count
}

/** The first wait after a failure is at most 1 s (worker/backoff.ts); a little more for the clock. */
const FIRST_WAIT_MS = 1_050

const networkError = { code: 'network_error' }

test.describe('offline and transient failures', () => {
  test.beforeEach(async () => {
    await providerSettings({ accessTokenTtl: SHORT_TOKEN_TTL_SECONDS })
  })

  test('the provider unreachable, then back: the session is kept, one attempt per wait, and the first call after it refreshes', async ({
    page,
    context,
  }) => {
    await login(page)
    const states = await recordStates(page)
    const tokenRequests = countTokenRequests(context)
    const before = await providerCounters()
    await providerSettings({ tokenEndpoint: 'down' })
    await untilRefreshDue(page)

    // Five callers share the attempt; ten more, right after it failed, get network_error at once.
    const [first, during] = await evaluateWith(
      page,
      { burst },
      async ({ burst }, url) => [await burst(5, url), await burst(10, url)],
      me,
    )
    expect(first).toEqual(Array(5).fill(networkError))
    expect(during).toEqual(Array(10).fill(networkError))
    // One request from the worker. The server may count two: Chromium sends a request once more
    // when a reused keep-alive connection closes without an answer, below the SDK.
    expect(tokenRequests()).toBe(1)
    expect((await providerCounters()).dropped - before.dropped).toBeGreaterThanOrEqual(1)
    expect(await page.evaluate(() => window.auth.isAuthenticated())).toBe(true)

    await providerSettings({ tokenEndpoint: 'up' })
    await page.waitForTimeout(FIRST_WAIT_MS)
    expect(await calls(page, 5)).toEqual(Array(5).fill(200))
    const after = await providerCounters()
    expect(after.token.refresh_token - before.token.refresh_token).toBe(1)
    expect(tokenRequests()).toBe(2)
    expect((await states()).filter((state) => !state.authenticated)).toEqual([])
    await expect(page.getByTestId('status')).toHaveText('Signed in')
  })

  const transient: [string, (route: Route) => Promise<void>, Outcome][] = [
    [
      '503 temporarily_unavailable',
      (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/json',
          headers: { 'access-control-allow-origin': demo.spaOrigin },
          body: JSON.stringify({ error: 'temporarily_unavailable' }),
        }),
      { code: 'network_error', status: 503 },
    ],
    ['a DNS failure', (route) => route.abort('namenotresolved'), networkError],
    ['connection refused', (route) => route.abort('connectionrefused'), networkError],
  ]
  for (const [name, answer, expected] of transient) {
    test(`${name} at refresh: the session is kept, and the provider is not asked again during the wait`, async ({
      page,
      context,
    }) => {
      await login(page)
      let hits = 0
      await context.route(tokenEndpoint, async (route) => {
        if (route.request().method() !== 'POST') return route.fallback()
        hits++
        await answer(route)
      })
      await untilRefreshDue(page)
      const [first, during] = await evaluateWith(
        page,
        { burst },
        async ({ burst }, url) => [await burst(3, url), await burst(3, url)],
        me,
      )
      expect(first).toEqual(Array(3).fill(expected))
      expect(during).toEqual(Array(3).fill(networkError))
      expect(hits).toBe(1)
      await context.unroute(tokenEndpoint)
      await page.waitForTimeout(FIRST_WAIT_MS)
      expect(await calls(page, 3)).toEqual(Array(3).fill(200))
      await expect(page.getByTestId('status')).toHaveText('Signed in')
    })
  }

  test('offline, then online (network emulation): the wait ends as soon as the worker sees navigator.onLine, and the next call refreshes', async ({
    page,
    context,
  }) => {
    await login(page)
    const states = await recordStates(page)
    const tokenRequests = countTokenRequests(context)
    const before = await providerCounters()
    await untilRefreshDue(page)
    await context.setOffline(true)

    expect(await calls(page, 3)).toEqual(Array(3).fill(networkError))
    // Past the first wait, a second attempt fails too: the second wait is at least 1 s.
    await page.waitForTimeout(FIRST_WAIT_MS)
    expect(await calls(page, 3)).toEqual(Array(3).fill(networkError))
    expect(await calls(page, 3)).toEqual(Array(3).fill(networkError))
    expect(tokenRequests()).toBe(2)
    expect(await page.evaluate(() => window.auth.isAuthenticated())).toBe(true)

    // Well within the second wait: only the network coming back can let this call refresh.
    await context.setOffline(false)
    expect(await calls(page, 3)).toEqual(Array(3).fill(200))
    expect(tokenRequests()).toBe(3)
    expect((await providerCounters()).token.refresh_token - before.token.refresh_token).toBe(1)
    expect((await states()).filter((state) => !state.authenticated)).toEqual([])
  })
})

test.describe('a refresh refused without an OAuth error body (issue 18.1)', () => {
  test.beforeEach(async () => {
    await providerSettings({ accessTokenTtl: SHORT_TOKEN_TTL_SECONDS })
  })

  const refusals: [string, number, string, string][] = [
    ['400, empty body', 400, '', 'text/plain'],
    ['400, HTML', 400, '<!doctype html><h1>Bad Request</h1>', 'text/html'],
    ['401, empty body', 401, '', 'text/plain'],
  ]
  for (const [name, status, body, contentType] of refusals) {
    test(`${name}: the session ends with login_required, and nothing more is sent`, async ({ page, context }) => {
      await login(page)
      const states = await recordStates(page)
      let hits = 0
      await context.route(tokenEndpoint, async (route) => {
        if (route.request().method() !== 'POST') return route.fallback()
        hits++
        await route.fulfill({
          status,
          contentType,
          headers: { 'access-control-allow-origin': demo.spaOrigin },
          body,
        })
      })
      await untilRefreshDue(page)
      expect(await calls(page, 3)).toEqual(Array(3).fill({ code: 'login_required' }))
      await expect(page.getByTestId('status')).toHaveText('Signed out')
      expect(await states()).toEqual([expect.objectContaining({ authenticated: false, reason: 'login_required' })])
      expect(await calls(page, 1)).toEqual([{ code: 'login_required' }])
      expect(hits).toBe(1)
    })
  }
})
