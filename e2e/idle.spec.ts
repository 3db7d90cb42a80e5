/**
 * The idle timeout (`idleTimeoutSeconds`) across two tabs of the demo SPA, each with a client of the
 * package's own worker made with the option (the demo's own client, pinned without it, shares the
 * session and signs out with it). Activity is real Chromium input: a key press, which the browser
 * marks trusted.
 */
import type { BrowserContext, Page } from '@playwright/test'
import type { AuthClient, AuthState } from '@oauth-enclave/client'
import { providerCounters } from './support/servers.js'
import { login, openSignedInTab } from './support/spa-session.js'
import { demo, expect, test } from './support/test'

const api = `${demo.apiOrigin}/api/me`

interface IdleWindow {
  idle: AuthClient
  idleStates: AuthState[]
}

function idleOptions(idleTimeoutSeconds: number, idleWarningSeconds: number) {
  return {
    issuer: demo.issuer,
    clientId: demo.clientId,
    scope: demo.scope,
    redirectUri: demo.altRedirectUri,
    allowedOrigins: [`${demo.apiOrigin}/api/`],
    idleTimeoutSeconds,
    idleWarningSeconds,
  }
}
type IdleOptions = ReturnType<typeof idleOptions>

/**
 * Signs in with a client made with `options` (after a first login through the demo, the provider
 * sends the browser straight back to `/callback-alt`); it is `window.idle`, its states `window.idleStates`.
 */
async function signInWithIdleClient(page: Page, options: IdleOptions): Promise<void> {
  await login(page)
  await page.evaluate((options) => window.createAuthClient(options).login(), options)
  await page.waitForURL(/\/callback-alt\?/)
  await page.evaluate(async (options) => {
    const w = window as unknown as IdleWindow
    w.idleStates = []
    w.idle = window.createAuthClient(options)
    w.idle.subscribe((state) => w.idleStates.push(state))
    await w.idle.handleRedirectCallback()
  }, options)
  await expect(page.getByTestId('status')).toHaveText('Signed in')
}

/** Makes `window.idle` in a tab that has the session already; resolves with its first state. */
function attachIdleClient(page: Page, options: IdleOptions): Promise<AuthState> {
  return page.evaluate(async (options) => {
    const w = window as unknown as IdleWindow
    w.idleStates = []
    w.idle = window.createAuthClient(options)
    w.idle.subscribe((state) => w.idleStates.push(state))
    return w.idle.getState()
  }, options)
}

const states = (page: Page) => page.evaluate(() => (window as unknown as IdleWindow).idleStates)
const lastState = async (page: Page) => (await states(page)).at(-1)

/** Revocation requests the provider answered, including the JWT access tokens it cannot revoke (RFC 7009 §2.2.1). */
async function revocations(): Promise<number> {
  const counters = await providerCounters()
  return counters.revocation + (counters.errors.unsupported_token_type ?? 0)
}

async function twoIdleTabs(page: Page, context: BrowserContext, options: IdleOptions): Promise<Page> {
  await signInWithIdleClient(page, options)
  const other = await openSignedInTab(context)
  expect(await attachIdleClient(other, options)).toMatchObject({ authenticated: true, idleWarning: null })
  return other
}

test('activity in one tab keeps the session in both; without it both warn, then end with idle_timeout and revoke', async ({
  page,
  context,
}) => {
  test.setTimeout(60_000)
  const options = idleOptions(6, 3)
  const other = await twoIdleTabs(page, context, options)
  const revokedBefore = await revocations()

  // Nine seconds, one and a half times the timeout, of key presses in the first tab only.
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Shift')
    await page.waitForTimeout(1_500)
  }
  for (const tab of [page, other]) {
    expect((await states(tab)).filter((state) => state.idleWarning)).toEqual([])
    expect(await tab.evaluate(() => (window as unknown as IdleWindow).idle.isAuthenticated())).toBe(true)
  }

  // Then nothing: both tabs warn, with the deadline and the seconds left, one state each.
  for (const tab of [page, other]) {
    await expect
      .poll(() => lastState(tab), { timeout: 8_000 })
      .toMatchObject({
        authenticated: true,
        idleWarning: { secondsLeft: 3 },
      })
  }
  const [warningA, warningB] = [(await lastState(page))!.idleWarning!, (await lastState(other))!.idleWarning!]
  // Each tab's worker counts from the activity as it learned of it: the same moment, give or take a message.
  expect(Math.abs(warningA.expiresAt - warningB.expiresAt)).toBeLessThan(500)
  expect(warningA.expiresAt - Date.now()).toBeLessThanOrEqual(3_000)

  for (const tab of [page, other]) {
    await expect
      .poll(() => lastState(tab), { timeout: 8_000 })
      .toMatchObject({ authenticated: false, reason: 'idle_timeout', idleWarning: null })
    // The demo's own client, without the option, shares the session: signed out too.
    await expect(tab.getByTestId('status')).toHaveText('Signed out')
    expect((await states(tab)).filter((state) => state.idleWarning)).toHaveLength(1)
  }
  const after = await other.evaluate(
    (url) =>
      (window as unknown as IdleWindow).idle.fetch(url).then(
        (response) => response.status,
        (error: { code?: string }) => error.code,
      ),
    api,
  )
  expect(after).toBe('login_required')
  // The refresh token and the access token, as at logout.
  await expect.poll(async () => (await revocations()) - revokedBefore).toBe(2)
})

test('activity during the warning, in either tab, cancels it in both', async ({ page, context }) => {
  test.setTimeout(60_000)
  const options = idleOptions(6, 3)
  const other = await twoIdleTabs(page, context, options)
  for (const tab of [page, other]) {
    await expect.poll(async () => (await lastState(tab))?.idleWarning, { timeout: 8_000 }).toBeTruthy()
  }
  await other.keyboard.press('Shift')
  for (const tab of [page, other]) {
    await expect
      .poll(() => lastState(tab), { timeout: 1_000 })
      .toMatchObject({ authenticated: true, idleWarning: null })
  }
  // Past the first deadline: still signed in, and warned again only later.
  await page.waitForTimeout(2_000)
  for (const tab of [page, other]) {
    expect(await lastState(tab)).toMatchObject({ authenticated: true })
    await expect(tab.getByTestId('status')).toHaveText('Signed in')
  }
})

test('reopening the app after the idle period finds the session ended', async ({ page, context }) => {
  test.setTimeout(60_000)
  const options = idleOptions(3, 0)
  await signInWithIdleClient(page, options)
  const revokedBefore = await revocations()
  // Every tab of the app closed: no worker runs, only the vault remembers the last activity.
  const keepContext = await context.newPage()
  await page.close()
  await keepContext.waitForTimeout(3_500)

  // The demo's own client, without the option, would still use the session: the option's client
  // ends it as soon as it starts, before answering anything.
  const reopened = await openSignedInTab(context)
  expect(await attachIdleClient(reopened, options)).toMatchObject({ authenticated: false })
  expect(await states(reopened)).toEqual([expect.objectContaining({ authenticated: false, reason: 'idle_timeout' })])
  await expect(reopened.getByTestId('status')).toHaveText('Signed out')
  await expect.poll(async () => (await revocations()) - revokedBefore).toBe(2)
})
