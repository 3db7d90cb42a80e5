/**
 * A service worker of the origin sits in front of the SDK's worker (in Chromium a
 * dedicated worker's requests go through its page's controller) and sees every token response.
 * The client refuses to start under one the app did not declare; and the Trusted Types policy the
 * SDK starts its worker through is reported loudly when earlier script took its name.
 */
import type { Page } from '@playwright/test'
import { getStateRefusal } from '../support/fetch-outcome'
import { demo, expect, test } from '../support/test'

const SERVICE_WORKER = `${demo.spaOrigin}/undeclared-sw.js`

/** Registers the demo's passthrough service worker and reloads the page under its control. */
async function underServiceWorker(page: Page): Promise<void> {
  await page.goto('/')
  await page.evaluate(async (url) => {
    await navigator.serviceWorker.register(url)
    await navigator.serviceWorker.ready
  }, SERVICE_WORKER)
  await page.reload()
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(SERVICE_WORKER)
}

test.describe('under a service worker', () => {
  // Registering one needs a TrustedScriptURL under the demo's CSP: the test plays script that got
  // one registered some other way (an earlier XSS, a misconfigured PWA plugin).
  test.use({ bypassCSP: true })

  test('the client refuses to start with config_error naming the service worker', async ({ page }) => {
    await underServiceWorker(page)
    const refused = await getStateRefusal(page)
    expect(refused).toEqual({
      code: 'config_error',
      message: `${SERVICE_WORKER} is not in dangerouslyAllowServiceWorkers`,
    })
  })

  test('an app that lists its service worker in dangerouslyAllowServiceWorkers (a PWA) starts', async ({ page }) => {
    await underServiceWorker(page)
    const state = await page.evaluate(
      async ({ options }) => {
        const client = window.createAuthClient(options)
        try {
          return await client.getState()
        } finally {
          client.close()
        }
      },
      {
        options: {
          issuer: demo.issuer,
          clientId: demo.clientId,
          redirectUri: demo.altRedirectUri,
          dangerouslyAllowServiceWorkers: [SERVICE_WORKER],
        },
      },
    )
    expect(state).toMatchObject({ authenticated: false })
  })
})

test('a Trusted Types policy name taken by earlier script is a console error naming the cause', async ({ page }) => {
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  await page.addInitScript(() => {
    // Allowed by the demo's CSP (`trusted-types oauth-enclave`), once: the SDK's own then fails.
    const factory = (window as unknown as { trustedTypes: { createPolicy(name: string, rules: object): unknown } })
      .trustedTypes
    factory.createPolicy('oauth-enclave', { createScriptURL: (url: string) => url })
  })
  await page.goto('/')
  // The SDK's hint, with the browser's own error naming the cause.
  await expect
    .poll(() => errors.find((line) => line.includes('oauth-enclave: create the client in your first script')))
    .toMatch(/already exists/)
})
