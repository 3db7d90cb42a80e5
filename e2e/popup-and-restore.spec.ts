/**
 * Sessions that survive a popup and a page without a session (issue 15 §1, §2): a login in a popup
 * under the provider's `Cross-Origin-Opener-Policy: same-origin` (the demo provider sends it on
 * every answer, as Amazon Cognito does), and a `prompt=none` restore, without an iframe.
 */
import type { Page } from '@playwright/test'
import { providerLoginForm, signInAtProvider } from './support/provider-login.js'
import { issuedTokens, providerCounters } from './support/servers.js'
import { demo, expect, test } from './support/test'
import { findTokens } from './support/token-search'

const status = (page: Page) => page.getByTestId('status')
const popupButton = (page: Page) => page.getByRole('button', { name: 'Sign in with a popup' })

/**
 * Records, in the origin's localStorage, every message any page of the app posts on a
 * BroadcastChannel, and whether the callback page in the popup had a `window.opener`.
 */
async function recordPopupTraffic(page: Page): Promise<void> {
  await page.context().addInitScript(() => {
    const post = BroadcastChannel.prototype.postMessage
    BroadcastChannel.prototype.postMessage = function (message: unknown) {
      const log = JSON.parse(localStorage.getItem('test:broadcasts') ?? '[]') as string[]
      log.push(JSON.stringify(message))
      localStorage.setItem('test:broadcasts', JSON.stringify(log))
      return post.call(this, message)
    }
    if (location.pathname === '/callback') localStorage.setItem('test:callback-opener', String(window.opener !== null))
  })
}

test.describe('loginWithPopup', () => {
  test('signs in through a popup the provider cuts off with COOP; the page keeps its state; no token crosses', async ({
    page,
  }) => {
    await recordPopupTraffic(page)
    await page.goto('/')
    await expect(status(page)).toHaveText('Signed out')
    await page.getByTestId('draft').fill('half a form')

    const popupOpened = page.waitForEvent('popup')
    await popupButton(page).click()
    const popup = await popupOpened
    const providerPage = await popup.waitForResponse(
      (response) => response.url().startsWith(demo.issuer) && response.request().resourceType() === 'document',
    )
    expect(providerPage.headers()['cross-origin-opener-policy']).toBe('same-origin')
    await expect(providerLoginForm(popup)).toBeVisible()
    const closed = popup.waitForEvent('close')
    await signInAtProvider(popup, 'alice')
    await closed

    await expect(status(page)).toHaveText('Signed in')
    expect(await page.getByTestId('draft').inputValue()).toBe('half a form')
    expect(page.url()).toBe(`${demo.spaOrigin}/`)
    await page.getByRole('button', { name: 'Call the API' }).click()
    await expect(page.getByTestId('api-result')).toContainText('200')

    const recorded = await page.evaluate(() => ({
      opener: localStorage.getItem('test:callback-opener'),
      broadcasts: localStorage.getItem('test:broadcasts') ?? '',
    }))
    // The callback page had no opener to talk to: the response went over the BroadcastChannel.
    expect(recorded.opener).toBe('false')
    expect(recorded.broadcasts).toContain('state=popup.')
    const tokens = await issuedTokens()
    expect(findTokens(recorded.broadcasts, [...tokens.access, ...tokens.refresh, ...tokens.id])).toEqual([])
  })

  test('a popup closed at the provider rejects popup_closed at the timeout, and the page stays signed out', async ({
    page,
  }) => {
    await page.goto('/')
    await expect(status(page)).toHaveText('Signed out')
    const tokensBefore = (await providerCounters()).token.authorization_code
    const popupOpened = page.waitForEvent('popup')
    const outcome = page.evaluate(() =>
      window.auth.loginWithPopup({ timeoutSeconds: 3 }).then(
        () => 'signed in',
        (error: { code: string }) => error.code,
      ),
    )
    const popup = await popupOpened
    await expect(providerLoginForm(popup)).toBeVisible()
    await popup.close()
    expect(await outcome).toBe('popup_closed')
    expect(await page.evaluate(() => window.auth.isAuthenticated())).toBe(false)
    expect((await providerCounters()).token.authorization_code).toBe(tokensBefore)
  })

  test('an abort rejects with the signal’s reason; a late answer from the popup is refused', async ({ page }) => {
    await page.goto('/')
    await expect(status(page)).toHaveText('Signed out')
    const popupOpened = page.waitForEvent('popup')
    const outcome = page.evaluate(() => {
      const cancel = new AbortController()
      setTimeout(() => cancel.abort(new DOMException('the user cancelled', 'AbortError')), 1500)
      return window.auth.loginWithPopup({ signal: cancel.signal }).then(
        () => 'signed in',
        (error: Error) => error.name,
      )
    })
    const popup = await popupOpened
    await expect(providerLoginForm(popup)).toBeVisible()
    expect(await outcome).toBe('AbortError')
    // Cut off by COOP, the popup is beyond the opener's close(): the user may still sign in there,
    // and the callback it reaches finds nobody waiting.
    await signInAtProvider(popup, 'alice')
    await expect(popup.getByTestId('error')).toContainText('invalid_state', { timeout: 10_000 })
    await expect(status(page)).toHaveText('Signed out')
  })
})

test.describe("restore with prompt=none (the provider's session, no iframe)", () => {
  test('a page with no session of its own gets one from the live provider session, without the user', async ({
    page,
  }) => {
    // A session at the provider, then none in the app: the vault is gone (a new device, or memory persistence).
    const popupOpened = page.waitForEvent('popup')
    await page.goto('/')
    await popupButton(page).click()
    await signInAtProvider(await popupOpened, 'carol')
    await expect(status(page)).toHaveText('Signed in')
    await page.evaluate(async () => {
      window.auth.close()
      for (const { name } of await indexedDB.databases()) indexedDB.deleteDatabase(name!)
    })
    await page.reload()
    await expect(status(page)).toHaveText('Signed out')

    const interactions: string[] = []
    page.on('request', (request) => {
      if (request.url().startsWith(`${demo.issuer}/interaction/`)) interactions.push(request.url())
    })
    await page.getByRole('button', { name: 'Restore the session' }).click()
    await page.waitForURL(`${demo.spaOrigin}/`)
    await expect(status(page)).toHaveText('Signed in')
    expect(await page.evaluate(() => window.auth.getUser())).toMatchObject({ sub: 'carol' })
    // The provider never showed a page: no interaction at all.
    expect(interactions).toEqual([])
  })

  test('without a provider session the callback rejects login_required with oauthError, back at returnTo', async ({
    page,
  }) => {
    await page.goto('/?view=orders')
    await expect(status(page)).toHaveText('Signed out')
    const tokensBefore = (await providerCounters()).token.authorization_code
    await page.getByRole('button', { name: 'Restore the session' }).click()
    await page.waitForURL(`${demo.spaOrigin}/?view=orders`)
    // The demo shows `code: message`; the message names the provider's `error` (oauthError).
    await expect(page.getByTestId('error')).toHaveText(
      'login_required: the provider refused the authorization: login_required',
    )
    await expect(status(page)).toHaveText('Signed out')
    expect((await providerCounters()).token.authorization_code).toBe(tokensBefore)
  })
})
