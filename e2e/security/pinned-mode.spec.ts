/**
 * Script that runs before the SDK rewrites the first message to the worker, the one
 * that configures it. The demo's worker is pinned (`demo/spa/src/auth.worker.ts`): its
 * configuration is the worker file's code, so a rewritten `init` is refused or changes nothing.
 */
import type { Page } from '@playwright/test'
import { clearRequestLog, requestLog } from '../support/servers.js'
import { login } from '../support/spa-session.js'
import { getStateRefusal } from '../support/fetch-outcome'
import { demo, expect, test } from '../support/test'

const outsider = demo.outsiderOrigin

/**
 * An init script: every `init` the page posts to a worker is rewritten with `changes` (`undefined`
 * deletes an option), as a compromised earlier script tag or dependency could.
 */
async function rewriteInit(page: Page, changes: Record<string, unknown>): Promise<void> {
  await page.addInitScript((changes) => {
    const post = Worker.prototype.postMessage
    Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: unknown[]) {
      const call = message as { type?: string; path?: string[]; argumentList?: { value: unknown }[] }
      if (call?.type === 'APPLY' && call.path?.[0] === 'init' && call.argumentList?.[0]) {
        const options = { ...(call.argumentList[0].value as Record<string, unknown>) }
        for (const [name, value] of Object.entries(changes)) {
          if (value === undefined) delete options[name]
          else options[name] = value
        }
        call.argumentList[0].value = options
      }
      return (post as (...args: unknown[]) => void).call(this, message, ...rest)
    }
  }, changes)
}

test.beforeEach(async () => {
  await clearRequestLog(outsider)
})

for (const [what, changes, named] of [
  ['adds an origin to allowedOrigins', { allowedOrigins: [`${demo.apiOrigin}/api/`, outsider] }, 'allowedOrigins'],
  ['turns DPoP off', { dpop: false }, 'dpop'],
  ['asks for memory persistence', { persistence: 'memory' }, 'persistence'],
  ['points the client at another issuer', { issuer: outsider }, 'issuer'],
] as const) {
  test(`pinned mode: a rewritten init that ${what} is refused with config_error naming it, and no credentials reach the outsider`, async ({
    page,
  }) => {
    await login(page)
    await rewriteInit(page, changes)
    await page.reload()
    const refused = await getStateRefusal(page)
    expect(refused).toEqual({
      code: 'config_error',
      message: `${named} differs from the worker's pinned configuration`,
    })
    // Nothing works on this worker: not the API, and nothing carries credentials anywhere.
    const api = await page.evaluate(
      (url) =>
        window.auth.fetch(url).then(
          (response) => response.status,
          (error: { code?: string }) => error.code,
        ),
      `${demo.apiOrigin}/api/me`,
    )
    expect(api).toBe('config_error')
    await page.evaluate((url) => window.auth.fetch(url).catch(() => undefined), `${outsider}/after-the-rewrite`)
    for (const request of await requestLog(outsider)) {
      expect(request).toMatchObject({ authorization: false, dpop: false })
    }
  })
}

test('pinned mode: an init with the security options left out gets the pinned ones, not wider ones', async ({
  page,
}) => {
  await login(page)
  await rewriteInit(page, { allowedOrigins: undefined, dpop: undefined, persistence: undefined })
  await page.reload()
  await expect(page.getByTestId('status')).toHaveText('Signed in')
  const state = await page.evaluate(() => window.auth.getState())
  expect(state).toMatchObject({ authenticated: true, tokenType: 'DPoP', persistence: 'indexeddb' })
  // The page routes the API through the worker as before; the worker attaches credentials for the
  // pinned allowlist, which the page could not see or change.
  expect(await page.evaluate((url) => window.auth.fetch(url).then((r) => r.status), `${demo.apiOrigin}/api/me`)).toBe(
    200,
  )
  await page.evaluate((url) => fetch(url).then((r) => r.status), `${outsider}/plain`)
  expect((await requestLog(outsider)).filter((r) => r.method !== 'OPTIONS')).toEqual([
    expect.objectContaining({ authorization: false, dpop: false }),
  ])
})
