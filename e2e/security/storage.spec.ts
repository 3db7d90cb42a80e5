import type { Page } from '@playwright/test'
import { everythingThePageCanRead } from '../support/page-readable'
import { login, logout } from '../support/spa-session.js'
import { demo, expect, test } from '../support/test'
import { findTokens } from '../support/token-search'
import { allIssuedTokens, exerciseSession, loginWithMemoryClient } from './session-scenario'

/** Fails with the checkpoint's name when anything the page can read holds a token issued so far. */
async function expectNoTokenReadable(page: Page, checkpoint: string): Promise<string> {
  const readable = await everythingThePageCanRead(page)
  expect(findTokens(readable, await allIssuedTokens()), checkpoint).toEqual([])
  return readable
}

test('indexeddb mode: no token in storage, cookies, the URL, history.state, the vault or the console', async ({
  page,
  consoleLines,
}) => {
  await login(page)
  const afterLogin = await expectNoTokenReadable(page, 'after login')
  // Controls: the scan did read the vault, its sealed records and its key.
  expect(afterLogin).toContain('[db oauth-enclave]')
  expect(afterLogin).toContain('oauth-enclave/vault/v1')
  expect(afterLogin).toContain('[CryptoKey secret extractable=false]')

  await exerciseSession(page)
  await expectNoTokenReadable(page, 'after a refresh and 100 fetches')

  await page.reload()
  await expect(page.getByTestId('status')).toHaveText('Signed in')
  expect(await page.evaluate(async (url) => (await window.auth.fetch(url)).status, `${demo.apiOrigin}/api/me`)).toBe(
    200,
  )
  await expectNoTokenReadable(page, 'after a reload')

  await logout(page)
  await expectNoTokenReadable(page, 'after logout')

  // The page's console output includes the worker's (Chromium forwards it to the page).
  expect(consoleLines.length).toBeGreaterThan(0)
  expect(findTokens(consoleLines.join('\n'), await allIssuedTokens()), 'console').toEqual([])
})

test('memory mode: no token in storage, cookies, the URL, history.state, the vault or the console', async ({
  page,
  consoleLines,
}) => {
  await loginWithMemoryClient(page)
  await expectNoTokenReadable(page, 'after login')

  await exerciseSession(page, 'memoryAuth')
  const afterTraffic = await expectNoTokenReadable(page, 'after a refresh and 100 fetches')
  // Memory mode keeps no session record: only the login transaction's key is left in the vault.
  expect(afterTraffic).not.toContain('session-dpop-key')

  const endSession = page.waitForRequest((request) => request.url().startsWith(`${demo.issuer}/session/end`))
  await page.evaluate(() => {
    // Not awaited: the call ends in a navigation, which would cut the evaluation short.
    void window.memoryAuth!.logout()
  })
  await endSession
  await page.waitForURL(`${demo.spaOrigin}/`, { waitUntil: 'load' })
  await expectNoTokenReadable(page, 'after logout')

  expect(findTokens(consoleLines.join('\n'), await allIssuedTokens()), 'console').toEqual([])
})
