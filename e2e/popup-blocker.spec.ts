/**
 * `loginWithPopup` with Chromium's popup blocker on, as in a user's browser (Playwright turns it off
 * by default): the window opens in a click, and only there.
 */
import type { Page } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium.js'
import { providerLoginForm, signInAtProvider } from './support/provider-login.js'
import { expect, test } from './support/test'

const executablePath = chromiumPath()
test.use({
  launchOptions: {
    ...(executablePath && { executablePath }),
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: ['--disable-popup-blocking'],
  },
})

const status = (page: Page) => page.getByTestId('status')
const popupButton = (page: Page) => page.getByRole('button', { name: 'Sign in with a popup' })

test('outside a user gesture the window cannot open: popup_blocked', async ({ page }) => {
  // Called from the page's own script at load, which no user activated (page.evaluate would count
  // as a gesture).
  await page.addInitScript(() => {
    addEventListener('load', () => {
      const w = window as unknown as { auth: Window['auth']; popupOutcome?: string }
      void w.auth.loginWithPopup().then(
        () => (w.popupOutcome = 'signed in'),
        (error: { code: string }) => (w.popupOutcome = error.code),
      )
    })
  })
  const popups: unknown[] = []
  page.on('popup', (popup) => popups.push(popup))
  await page.goto('/')
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { popupOutcome?: string }).popupOutcome))
    .toBe('popup_blocked')
  expect(popups).toEqual([])
})

test('in a click it opens', async ({ page }) => {
  await page.goto('/')
  await expect(status(page)).toHaveText('Signed out')
  const popupOpened = page.waitForEvent('popup')
  await popupButton(page).click()
  const popup = await popupOpened
  await expect(providerLoginForm(popup)).toBeVisible()
  await signInAtProvider(popup, 'bob')
  await expect(status(page)).toHaveText('Signed in')
})
