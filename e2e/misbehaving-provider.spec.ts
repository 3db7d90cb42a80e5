import type { AuthClient, AuthClientOptions, AuthErrorCode } from '@oauth-enclave/client'
import type { Page } from '@playwright/test'
import * as misbehaving from './misbehaving-provider/settings.js'
import type { Mode } from './misbehaving-provider/settings.js'
import { evaluateWith } from './support/in-page'
import { inVault } from './support/page-idb'
import { everythingThePageCanRead } from './support/page-readable'
import { providerSettings } from './support/servers.js'
import { login } from './support/spa-session.js'
import { demo, expect, test } from './support/test'
import { findTokens } from './support/token-search'

/** A client of the misbehaving provider; its callback page is one the demo's own client ignores. */
const CLIENT: AuthClientOptions = {
  issuer: misbehaving.issuer,
  clientId: 'misbehaving-spa',
  redirectUri: demo.altRedirectUri,
  providerTimeoutMs: 2_000,
}

interface ProviderState {
  mode: Mode
  counters: { authorize: number; token: number }
  issued: { access: string[]; refresh: string[] }
}

async function setMode(mode: Mode): Promise<void> {
  const response = await fetch(`${misbehaving.issuer}/__mode`, { method: 'POST', body: JSON.stringify({ mode }) })
  expect(response.ok).toBe(true)
}

async function providerState(): Promise<ProviderState> {
  return (await (await fetch(`${misbehaving.issuer}/__state`)).json()) as ProviderState
}

/** What the page saw of one call: the result or the rejection, as plain data. */
interface Outcome {
  ok: boolean
  sub?: string | undefined
  name?: string
  code?: string
  oauthError?: string
  message?: string
  /** `isAuthenticated()` before and after the call. */
  before: boolean
  after: boolean
  elapsedMs: number
}

/**
 * In the page: creates a client with `options`, runs `call` on it and describes what happened, a
 * rejection as plain data; closes the client after when `close` says so. Self-contained
 * (support/in-page.ts).
 */
async function observe(
  options: AuthClientOptions,
  call: (client: AuthClient) => Promise<Omit<Outcome, 'before' | 'after' | 'elapsedMs'>>,
  close: boolean,
): Promise<Outcome> {
  const client = window.createAuthClient(options)
  const before = await client.isAuthenticated()
  const started = performance.now()
  const result = await call(client).catch((error: unknown) => {
    const e = error as { name?: string; code?: string; oauthError?: string; message?: string }
    return { ok: false, name: e.name, code: e.code, oauthError: e.oauthError, message: e.message }
  })
  const elapsedMs = performance.now() - started
  const after = await client.isAuthenticated()
  if (close) client.close()
  return { ...result, before, after, elapsedMs }
}

/**
 * Creates the client and calls `login()`. Resolves with the rejection when login fails before
 * leaving the page, or with `null` once the provider has redirected back to the callback page.
 */
async function startLogin(page: Page): Promise<Outcome | null> {
  await page.goto('/')
  const redirected = page
    .waitForURL((url) => url.pathname === '/callback-alt')
    .then(
      () => null,
      () => null,
    )
  const failed = evaluateWith(
    page,
    { observe },
    ({ observe }, options) =>
      observe(
        options,
        async (client) => {
          await client.login()
          // Navigating away: this page's script ends here.
          return new Promise<never>(() => undefined)
        },
        false,
      ),
    CLIENT,
  ).catch(() => redirected)
  return Promise.race([redirected, failed])
}

/** On the callback page: a new client for the same issuer and client handles the URL. */
async function handleCallback(page: Page): Promise<Outcome> {
  return evaluateWith(
    page,
    { observe },
    ({ observe }, options) =>
      observe(options, async (client) => ({ ok: true, sub: (await client.handleRedirectCallback()).user?.sub }), true),
    CLIENT,
  )
}

/** Names of the vault records the SDK keeps for the misbehaving issuer and client. */
async function vaultRecords(page: Page): Promise<string[]> {
  return inVault(
    page,
    async (vault, { issuer, clientId }) =>
      (await vault.entries())
        .map(({ key }) => key)
        .filter((key): key is string[] => Array.isArray(key) && key[0] === issuer && key[1] === clientId)
        .map((key) => String(key[2])),
    { issuer: CLIENT.issuer, clientId: CLIENT.clientId },
  )
}

/** Records a failed login may leave: the vault's own key, and login transactions. Nothing else. */
const isLoginBookkeeping = (name: string): boolean => name === 'key' || name.startsWith('tx')

interface Case {
  mode: Mode
  code: AuthErrorCode
  oauthError?: string
  /** Where the failure surfaces: `login()` (discovery) or `handleRedirectCallback()`. */
  at: 'login' | 'callback'
  /** Whether the code may reach the token endpoint: never from a callback that failed validation. */
  exchanges: boolean
}

const CASES: Case[] = [
  { mode: 'state-wrong', code: 'invalid_state', at: 'callback', exchanges: false },
  { mode: 'state-missing', code: 'invalid_state', at: 'callback', exchanges: false },
  { mode: 'iss-other', code: 'invalid_issuer', at: 'callback', exchanges: false },
  { mode: 'iss-missing', code: 'invalid_issuer', at: 'callback', exchanges: false },
  { mode: 'access-denied', code: 'authorization_error', oauthError: 'access_denied', at: 'callback', exchanges: false },
  { mode: 'token-invalid-grant', code: 'token_error', oauthError: 'invalid_grant', at: 'callback', exchanges: true },
  { mode: 'token-500-html', code: 'invalid_response', at: 'callback', exchanges: true },
  { mode: 'token-not-json', code: 'invalid_response', at: 'callback', exchanges: true },
  { mode: 'token-no-access-token', code: 'invalid_response', at: 'callback', exchanges: true },
  { mode: 'token-type-mac', code: 'invalid_response', at: 'callback', exchanges: true },
  { mode: 'id-token-nonce', code: 'invalid_id_token', at: 'callback', exchanges: true },
  { mode: 'id-token-aud', code: 'invalid_id_token', at: 'callback', exchanges: true },
  { mode: 'id-token-iss', code: 'invalid_id_token', at: 'callback', exchanges: true },
  { mode: 'id-token-expired', code: 'invalid_id_token', at: 'callback', exchanges: true },
  // OpenID Connect Core §3.1.3.7 step 5: `azp` names this client, with one audience or several.
  { mode: 'id-token-azp', code: 'invalid_id_token', at: 'callback', exchanges: true },
  { mode: 'id-token-azp-multi', code: 'invalid_id_token', at: 'callback', exchanges: true },
  { mode: 'token-unreachable', code: 'network_error', at: 'callback', exchanges: true },
  // Bounded by `providerTimeoutMs` (2 s here; 30 s by default).
  { mode: 'token-hang', code: 'network_error', at: 'callback', exchanges: true },
  { mode: 'discovery-issuer-other', code: 'invalid_response', at: 'login', exchanges: false },
  // oauth4webapi compares issuers after URL normalisation; the SDK wants them identical (RFC 8414 §3.3).
  { mode: 'discovery-issuer-slash', code: 'invalid_response', at: 'login', exchanges: false },
]

test.beforeEach(async () => {
  await fetch(`${misbehaving.issuer}/__reset`, { method: 'POST' })
})

test('the misbehaving provider completes a login in mode ok (the control case)', async ({ page }) => {
  expect(await startLogin(page)).toBeNull()
  const outcome = await handleCallback(page)
  expect(outcome).toMatchObject({ ok: true, sub: 'misbehaving-user', before: false, after: true })
  expect(page.url()).not.toContain('code=')
  // The check the failure cases rely on can see a session when there is one.
  expect((await vaultRecords(page)).some((name) => !isLoginBookkeeping(name))).toBe(true)
  expect((await providerState()).counters.token).toBe(1)
})

for (const c of CASES) {
  const expected = `${c.code}${c.oauthError ? ` (${c.oauthError})` : ''}`
  test(`${c.mode} → ${expected}, no session, nothing leaked`, async ({ page, consoleLines }) => {
    await setMode(c.mode)
    const atLogin = await startLogin(page)
    if (c.at === 'login') expect(atLogin, 'login() should have failed').not.toBeNull()
    else expect(atLogin, `login() failed: ${atLogin?.code} ${atLogin?.message}`).toBeNull()
    const outcome = atLogin ?? (await handleCallback(page))

    expect(outcome).toMatchObject({ ok: false, name: 'AuthError', code: c.code, before: false, after: false })
    expect(outcome.oauthError).toBe(c.oauthError)
    expect(page.url()).not.toContain('code=')
    expect((await vaultRecords(page)).filter((name) => !isLoginBookkeeping(name))).toEqual([])

    const { counters, issued } = await providerState()
    expect(counters.token > 0).toBe(c.exchanges)
    const tokens = [...issued.access, ...issued.refresh]
    expect(findTokens(outcome.message ?? '', tokens)).toEqual([])
    expect(findTokens(await everythingThePageCanRead(page), tokens)).toEqual([])
    expect(findTokens(consoleLines.join('\n'), tokens)).toEqual([])
    if (c.mode === 'token-hang') expect(outcome.elapsedMs).toBeGreaterThanOrEqual(1_900)
    expect(outcome.elapsedMs).toBeLessThan(10_000)
  })
}

test('a callback replayed in a new page load is refused, and the session it made stays', async ({ page }) => {
  expect(await startLogin(page)).toBeNull()
  const callbackUrl = page.url()
  expect(await handleCallback(page)).toMatchObject({ ok: true, before: false, after: true })

  await page.goto(callbackUrl)
  const replay = await handleCallback(page)
  expect(replay).toMatchObject({ ok: false, name: 'AuthError', code: 'invalid_state', before: true, after: true })
  expect(page.url()).not.toContain('code=')
  expect((await providerState()).counters.token).toBe(1)
})

test('failing callbacks for the demo client leave its session in place', async ({ page }) => {
  await login(page)

  // A forged callback: no login is waiting for this state.
  await page.goto(`/callback?code=forged&state=forged&iss=${encodeURIComponent(demo.issuer)}`)
  await expect(page.getByTestId('error')).toContainText('invalid_state')
  await expect(page.getByTestId('status')).toHaveText('Signed in')

  // A real login whose code exchange cannot reach the token endpoint.
  await providerSettings({ tokenEndpoint: 'down' })
  const callback = page.waitForRequest((request) => request.url().startsWith(`${demo.spaOrigin}/callback?`))
  await page.evaluate(() => void window.auth.login())
  await callback
  await expect(page.getByTestId('error')).toContainText('network_error')
  await expect(page.getByTestId('status')).toHaveText('Signed in')
  expect(page.url()).not.toContain('code=')

  await providerSettings({ tokenEndpoint: 'up' })
  await page.getByRole('button', { name: 'Call the API' }).click()
  await expect(page.getByTestId('api-result')).toContainText('200')
})
