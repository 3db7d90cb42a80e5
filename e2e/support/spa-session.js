// @ts-check
/**
 * Logging in and out of an app like the demo SPA through its own buttons: `Log in`, `Log out` and
 * the status line (`data-testid=status`). Used by e2e and bench alike.
 */
import { expect } from '@playwright/test'
import * as demo from '../../demo/spa/settings.js'
import { providerLoginForm, signInAtProvider } from './provider-login.js'

/**
 * Logs in through the app's button and the provider's login page, and waits until the app is back
 * on its start page, signed in.
 *
 * @param {import('@playwright/test').Page} page
 * @param {string} [name] the login name at the provider: the user's `sub`
 * @param {string} [origin] the app's origin; the demo SPA's by default
 */
export async function login(page, name = 'alice', origin = demo.spaOrigin) {
  await page.goto(`${origin}/`)
  await expect(page.getByTestId('status')).toHaveText('Signed out')
  await page.getByRole('button', { name: 'Log in' }).click()
  // With a session at the provider already, it sends the browser straight back.
  const form = providerLoginForm(page)
  const signedIn = page.getByTestId('status').filter({ hasText: 'Signed in' })
  await expect(form.or(signedIn)).toBeVisible()
  if (await form.isVisible()) await signInAtProvider(page, name)
  await page.waitForURL(`${origin}/`)
  await expect(page.getByTestId('status')).toHaveText('Signed in')
}

/**
 * Logs out through the app's button and waits until the provider's end-session page has sent the
 * browser back to the app, loaded and signed out.
 *
 * @param {import('@playwright/test').Page} page
 * @param {string} [origin] the app's origin; the demo SPA's by default
 */
export async function logout(page, origin = demo.spaOrigin) {
  const endSession = page.waitForRequest((request) => request.url().startsWith(`${demo.issuer}/session/end`))
  await page.getByRole('button', { name: 'Log out' }).click()
  await endSession
  await page.waitForURL(`${origin}/`, { waitUntil: 'load' })
  await expect(page.getByTestId('status')).toHaveText('Signed out')
}

/**
 * Opens the app in another tab of the page's browser context, and waits until that tab has restored
 * the session.
 *
 * @param {import('@playwright/test').BrowserContext} context
 * @param {string} [origin] the app's origin; the demo SPA's by default
 */
export async function openSignedInTab(context, origin = demo.spaOrigin) {
  const tab = await context.newPage()
  await tab.goto(`${origin}/`)
  await expect(tab.getByTestId('status')).toHaveText('Signed in')
  return tab
}
