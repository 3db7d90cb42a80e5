// @ts-check
/**
 * The demo provider's login page (oidc-provider's `devInteractions`): a login name and a password,
 * any values accepted, and a submit button. Used by e2e and bench alike.
 */

/** Any password does; the login name becomes the user's `sub`. */
export const PASSWORD = 'any password'

/**
 * The login form's name field: visible once the browser has reached the provider's login page.
 *
 * @param {import('@playwright/test').Page} page
 */
export const providerLoginForm = (page) => page.locator('input[name=login]')

/**
 * Fills the provider's login form, without submitting it (a test may start waiting for the
 * redirect back first).
 *
 * @param {import('@playwright/test').Page} page
 * @param {string} name
 */
export async function fillProviderLogin(page, name) {
  await providerLoginForm(page).fill(name)
  await page.locator('input[name=password]').fill(PASSWORD)
}

/** @param {import('@playwright/test').Page} page */
export async function submitProviderLogin(page) {
  await page.locator('button[type=submit]').click()
}

/**
 * Signs in at the provider's login page as `name`; the provider then redirects back to the app.
 *
 * @param {import('@playwright/test').Page} page
 * @param {string} name
 */
export async function signInAtProvider(page, name) {
  await fillProviderLogin(page, name)
  await submitProviderLogin(page)
}
