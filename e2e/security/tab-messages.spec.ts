/**
 * Every context of the origin can post on the SDK's BroadcastChannel and take any Web
 * Lock. A message is only a hint to read the vault again; a squatted lock delays, never hangs.
 */
import { sharedNames } from '../../packages/client/src/worker/shared-names'
import { login } from '../support/spa-session.js'
import { demo, expect, test } from '../support/test'
import { refuseIssuedAccessTokens } from './session-scenario'

const names = sharedNames(demo.issuer, demo.clientId)
const me = `${demo.apiOrigin}/api/me`

test('a forged "ended" on the SDK\'s channel signs no tab out', async ({ page, context }) => {
  await login(page)
  const other = await context.newPage()
  await other.goto('/')
  await expect(other.getByTestId('status')).toHaveText('Signed in')

  await other.evaluate((name) => {
    const channel = new BroadcastChannel(name)
    channel.postMessage({ type: 'ended', reason: 'login_required' })
    channel.close()
  }, names.channel)
  await page.waitForTimeout(500)
  await expect(page.getByTestId('status')).toHaveText('Signed in')
  expect(await page.evaluate((url) => window.auth.fetch(url).then((r) => r.status), me)).toBe(200)
})

test('a context squatting the session locks: a refresh fails with worker_error, a logout still completes', async ({
  page,
}) => {
  test.setTimeout(60_000)
  await login(page)
  await page.evaluate(
    (locks) => {
      for (const lock of locks) void navigator.locks.request(lock, () => new Promise(() => {}))
    },
    [names.refreshLock, names.sessionHold],
  )
  // The API now refuses the access token: the SDK wants a refresh, which needs the lock; it waits
  // 10 s for it, then fails the call without touching the session.
  await refuseIssuedAccessTokens()
  const outcome = await page.evaluate(
    (url) =>
      window.auth.fetch(url).then(
        (r) => r.status,
        (error: { code?: string }) => error.code,
      ),
    me,
  )
  expect(outcome).toBe('worker_error')
  await expect(page.getByTestId('status')).toHaveText('Signed in')
  await page.getByRole('button', { name: 'Log out' }).click()
  await page.waitForURL(`${demo.spaOrigin}/`, { waitUntil: 'load', timeout: 30_000 })
  await expect(page.getByTestId('status')).toHaveText('Signed out', { timeout: 30_000 })
})
