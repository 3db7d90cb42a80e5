import type { Page } from '@playwright/test'
import { fetchOutcome } from './support/fetch-outcome'
import { inVault } from './support/page-idb'
import { fillProviderLogin, providerLoginForm, submitProviderLogin } from './support/provider-login.js'
import { WORKER_LOCK_PREFIX } from './support/sdk-names'
import {
  lastAccessTokenLifetimeMs,
  providerCounters,
  providerSettings,
  SHORT_TOKEN_TTL_SECONDS,
} from './support/servers.js'
import { login, openSignedInTab } from './support/spa-session.js'
import { demo, expect, test } from './support/test'
import { captureWorkers, capturedWorkerCount, terminateCapturedWorkers } from './support/worker-capture'

const me = `${demo.apiOrigin}/api/me`

/** Runs `change` on the SDK's vault object store in the page, as injected script could. */
async function editVault(page: Page, change: 'flip-session-byte' | 'delete-key' | 'copy-to-other-client') {
  await inVault(
    page,
    async (vault, change) => {
      const keys = (await vault.entries()).map(({ key }) => key as [string, string, string])
      const sessionKey = keys.find((key) => key[2] === 'session')!
      if (change === 'flip-session-byte') {
        const record = (await vault.get(sessionKey)) as { ciphertext: ArrayBuffer }
        const bytes = new Uint8Array(record.ciphertext.slice(0))
        bytes[10] = bytes[10]! ^ 0x01
        await vault.put(sessionKey, { ...record, ciphertext: bytes.buffer })
      } else if (change === 'delete-key') {
        await vault.delete([sessionKey[0], sessionKey[1], 'key'])
      } else {
        for (const name of ['session', 'key', 'session-dpop-key']) {
          const value = await vault.get([sessionKey[0], sessionKey[1], name])
          await vault.put([sessionKey[0], 'other-client', name], value)
        }
      }
    },
    change,
  )
}

for (const change of ['flip-session-byte', 'delete-key'] as const) {
  test(`a vault with ${change} reads as signed out, never throws, and the next login works`, async ({ page }) => {
    await login(page)
    await editVault(page, change)
    await page.reload()
    await expect(page.getByTestId('status')).toHaveText('Signed out')
    expect(await page.evaluate(() => window.auth.isAuthenticated())).toBe(false)
    expect(await fetchOutcome(page, me)).toBe('login_required')
    // createAuthClient on a corrupt vault, then logout: neither throws.
    const outcome = await page.evaluate(async () => {
      const client = window.createAuthClient({
        issuer: window.demoConfig.issuer,
        clientId: window.demoConfig.clientId,
        redirectUri: `${location.origin}/callback`,
      })
      const state = await client.getState()
      client.close()
      return state
    })
    expect(outcome).toMatchObject({ authenticated: false })
    await login(page)
    expect(await fetchOutcome(page, me)).toBe(200)
  })
}

test("another client's records do not decrypt as this client's session", async ({ page }) => {
  await login(page)
  await editVault(page, 'copy-to-other-client')
  const state = await page.evaluate(async () => {
    const client = window.createAuthClient({
      issuer: window.demoConfig.issuer,
      clientId: 'other-client',
      redirectUri: `${location.origin}/callback-alt`,
    })
    const result = await client.getState()
    client.close()
    return result
  })
  expect(state).toMatchObject({ authenticated: false })
})

test.describe('a terminated worker', () => {
  test.beforeEach(async ({ page }) => {
    await captureWorkers(page)
  })

  /**
   * Terminates every worker, then waits until the page has noticed: its request for a dead worker's
   * liveness lock is granted and let go, so none is pending any more.
   */
  const terminateAll = async (page: Page) => {
    await terminateCapturedWorkers(page)
    await expect
      .poll(() =>
        page.evaluate(
          async (prefix) =>
            (await navigator.locks.query()).pending?.filter((lock) => lock.name?.startsWith(prefix)).length,
          WORKER_LOCK_PREFIX,
        ),
      )
      .toBe(0)
  }

  test('is replaced on the next call, with the session restored from the vault', async ({ page }) => {
    await login(page)
    await terminateAll(page)
    expect(await fetchOutcome(page, me)).toBe(200)
    expect(await capturedWorkerCount(page)).toBe(2)
  })

  test('in memory persistence loses the session: login_required, not a hang', async ({ page }) => {
    await login(page)
    const options = {
      issuer: demo.issuer,
      clientId: demo.clientId,
      redirectUri: demo.altRedirectUri,
      allowedOrigins: [me],
      persistence: 'memory' as const,
    }
    // A memory-persistence client logs in; the provider session sends the browser straight back.
    await page.evaluate((options) => window.createAuthClient(options).login(), options)
    await page.waitForURL(/\/callback-alt\?/)
    const outcome = await page.evaluate(
      async ({ options, url }) => {
        const client = window.createAuthClient(options)
        await client.handleRedirectCallback()
        const before = await client.fetch(url).then((r) => r.status)
        for (const { worker } of window.__capturedWorkers!) worker.terminate()
        // Asking for the state is safe to repeat: it reaches a new worker even if the old one's death
        // was not yet noticed.
        const state = await client.getState()
        const after = await client.fetch(url).catch((e: { code: string }) => e.code)
        return { before, authenticated: state.authenticated, after }
      },
      { options, url: me },
    )
    expect(outcome).toEqual({ before: 200, authenticated: false, after: 'login_required' })
  })

  test('rejects a call in flight with worker_error', async ({ page }) => {
    await login(page)
    const code = await page.evaluate(async (api) => {
      const pending = window.auth.fetch(`${api}/api/blob?bytes=${256 * 1024 * 1024}`).then((r) => r.arrayBuffer())
      await new Promise((resolve) => setTimeout(resolve, 50))
      for (const { worker } of window.__capturedWorkers!) worker.terminate()
      return pending.then(
        () => 'completed',
        (e: { code?: string; name?: string }) => e.code ?? e.name,
      )
    }, demo.apiOrigin)
    // Not a hang: the call or its body fails. Chromium reports a body stream that errors part way
    // through `arrayBuffer()` as a TypeError, as for a network failure; a reader sees worker_error.
    expect(['worker_error', 'TypeError']).toContain(code)
  })
})

test('a tab closed in the middle of a refresh releases the lock; another tab refreshes without invalid_grant', async ({
  page,
  context,
}) => {
  // Two tabs, a wait for expiry and a hung request: slow on a loaded machine, so more than the default.
  test.setTimeout(60_000)
  await providerSettings({ accessTokenTtl: SHORT_TOKEN_TTL_SECONDS })
  await login(page)
  const other = await openSignedInTab(context)
  // Past half the token's life: the next call refreshes first.
  await page.waitForTimeout((await lastAccessTokenLifetimeMs()) / 2 + 200)

  const before = await providerCounters()
  // The first tab's refresh hangs at the provider while it holds the lock.
  await providerSettings({ tokenEndpoint: 'hang' })
  void fetchOutcome(page, me).catch(() => undefined)
  await expect.poll(async () => (await providerCounters()).dropped).toBe(1)
  const waiting = fetchOutcome(other, me)
  // Back up before the lock moves on; the first tab's request stays hung until its tab closes.
  await providerSettings({ tokenEndpoint: 'up' })
  await page.close()
  expect(await waiting).toBe(200)
  const after = await providerCounters()
  expect(after.token.refresh_token - before.token.refresh_token).toBe(1)
  expect(after.errors.invalid_grant ?? 0).toBe(0)
})

test('logins started in two tabs at once each complete their own transaction', async ({ page, context }) => {
  const other = await context.newPage()
  for (const tab of [page, other]) {
    await tab.goto('/')
    await tab.getByRole('button', { name: 'Log in' }).click()
    await providerLoginForm(tab).waitFor()
  }
  for (const tab of [other, page]) {
    await fillProviderLogin(tab, 'dora')
    await submitProviderLogin(tab)
    await tab.waitForURL(`${demo.spaOrigin}/`)
    await expect(tab.getByTestId('status')).toHaveText('Signed in')
    await expect(tab.getByTestId('error')).toBeHidden()
  }
  expect(await fetchOutcome(page, me)).toBe(200)
  expect(await fetchOutcome(other, me)).toBe(200)
})

test.describe('a worker that cannot start', () => {
  /** The package's own worker file in the demo's build (not the demo's pinned one, not the diagnosis). */
  const PACKAGE_WORKER = /\/assets\/worker-(?!diagnosis)[\w-]+\.js$/

  test('rejects with worker_error naming the URL and its 404, and says so once in the console', async ({
    page,
    consoleLines,
  }) => {
    await page.goto('/')
    await expect(page.getByTestId('status')).toHaveText('Signed out')
    const requested: string[] = []
    await page.route(PACKAGE_WORKER, (route) => {
      requested.push(route.request().url())
      return route.fulfill({ status: 404, contentType: 'text/html', body: '<h1>Not found</h1>' })
    })
    const outcome = await page.evaluate(async () => {
      const client = window.createAuthClient({
        issuer: window.demoConfig.issuer,
        clientId: window.demoConfig.clientId,
        redirectUri: `${location.origin}/callback-alt`,
      })
      const settled = await client.getState().then(
        () => ({ code: 'none', message: '' }),
        (error: { code: string; message: string }) => ({ code: error.code, message: error.message }),
      )
      client.close()
      return settled
    })
    const url = requested[0]!
    expect(outcome.code).toBe('worker_error')
    expect(outcome.message).toContain(url)
    expect(outcome.message).toContain('404')
    expect(outcome.message).toContain('(text/html)')
    expect(outcome.message).toContain('"Bundlers"')
    const reports = consoleLines.filter((line) => line.startsWith('oauth-enclave: the worker failed to start'))
    expect(reports).toEqual([`oauth-enclave: ${outcome.message}`])
  })
})
