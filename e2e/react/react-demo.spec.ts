import { createServer, type ViteDevServer } from 'vite'
import { signInAtProvider } from '../support/provider-login.js'
import { providerCounters } from '../support/servers.js'
import { ROUTER_STATE, writeRouterStateOnCallback } from '../support/router-state'
import { logout } from '../support/spa-session.js'
import { demo, expect, test } from '../support/test'

/**
 * The React demo (demo/react) on Vite's dev server: React's development build, where StrictMode runs
 * every effect twice. The callback is still redeemed once, and the app navigates once.
 */
const configFile = 'demo/react/vite.config.ts'
let server: ViteDevServer | undefined

test.beforeAll(async () => {
  test.setTimeout(60_000)
  server = await createServer({ configFile, logLevel: 'warn' })
  await server.listen()
})

test.afterAll(async () => {
  await server?.close()
})

test('log in, call the API and log out through <AuthProvider>, useAuth() and useAuthFetch()', async ({ page }) => {
  // On a fresh clone the dev server pre-bundles React on this first page load.
  test.setTimeout(90_000)
  const origin = demo.reactOrigin
  await writeRouterStateOnCallback(page)
  await page.goto(`${origin}/`)
  await expect(page.getByTestId('status')).toHaveText('Signed out')
  const before = await providerCounters()

  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page, 'alice')
  await page.waitForURL(`${origin}/`)
  await expect(page.getByTestId('status')).toHaveText('Signed in')
  await expect(page.getByTestId('user')).toContainText('"sub": "alice"')
  await expect(page.getByTestId('error')).toBeHidden()
  expect(await page.evaluate(() => history.state)).toEqual(ROUTER_STATE)
  // StrictMode ran the provider's effect twice; the code went to the token endpoint once.
  const after = await providerCounters()
  expect(after.token.authorization_code - before.token.authorization_code).toBe(1)

  await page.getByRole('button', { name: 'Call the API' }).click()
  await expect(page.getByTestId('api-result')).toContainText('200')
  await expect(page.getByTestId('api-result')).toContainText('"tokenType": "DPoP"')

  await logout(page, origin)
})
