/**
 * Real providers' token models, against the demo's provider: step-up (RFC 9470), pushed
 * authorization requests (RFC 9126) with DPoP (RFC 9449 §10.1), and logout with `id_token_hint`
 * (OpenID Connect RP-Initiated Logout 1.0 §2).
 */
import type { Page } from '@playwright/test'
import { providerLoginForm, signInAtProvider } from './support/provider-login.js'
import { issuedTokens, providerCounters, providerSettings } from './support/servers.js'
import { login } from './support/spa-session.js'
import { demo, expect, test } from './support/test'

const STRONG_ACR = 'urn:oauth-enclave:demo:mfa'
const stepUpApi = `${demo.apiOrigin}/api/step-up`

/** What `auth.fetch(url)` gives in the page: the status and body, or the AuthError's code and details. */
function fetchOutcome(page: Page, url: string) {
  return page.evaluate(async (target) => {
    try {
      const response = await window.auth.fetch(target)
      return { status: response.status, body: (await response.json()) as Record<string, unknown> }
    } catch (error) {
      const { code, acrValues, maxAge } = error as { code?: string; acrValues?: string; maxAge?: number }
      return { code, acrValues, maxAge }
    }
  }, url)
}

/** The authorization request the browser is sent to next, as the provider receives it. */
function nextAuthorizationRequest(page: Page) {
  return page.waitForRequest((request) => request.url().startsWith(`${demo.issuer}/auth?`))
}

test.describe('step-up (RFC 9470)', () => {
  test('fetch → step_up_required (session kept) → login({ acrValues }) → callback → the same request succeeds', async ({
    page,
  }) => {
    await login(page)
    await page.getByRole('button', { name: 'Call the step-up API' }).click()
    await expect(page.getByTestId('api-result')).toHaveText(`step_up_required: ${STRONG_ACR}`)
    // The session is kept: other calls still work, no refresh was spent on it.
    const before = await providerCounters()
    expect(await fetchOutcome(page, `${demo.apiOrigin}/api/me`)).toMatchObject({ status: 200 })
    expect((await providerCounters()).token.refresh_token).toBe(before.token.refresh_token)
    await expect(page.getByTestId('status')).toHaveText('Signed in')

    const authorization = nextAuthorizationRequest(page)
    await page.getByRole('button', { name: 'Sign in more strongly' }).click()
    await authorization
    // The provider's session is a password login: it asks again.
    await expect(providerLoginForm(page)).toBeVisible()
    await signInAtProvider(page, 'alice')
    await page.waitForURL(`${demo.spaOrigin}/`)
    await expect(page.getByTestId('status')).toHaveText('Signed in')

    expect(await page.evaluate(() => window.auth.getUser())).toMatchObject({ sub: 'alice', acr: STRONG_ACR })
    expect(await fetchOutcome(page, stepUpApi)).toMatchObject({
      status: 200,
      body: { sub: 'alice', acr: STRONG_ACR, steppedUp: true },
    })
  })

  test('max_age: a login too long ago is step_up_required with maxAge; login({ maxAge }) makes it recent', async ({
    page,
  }) => {
    await login(page)
    // Up to the strong class first, so that only the age is missing.
    await page.evaluate((acrValues) => void window.auth.login({ acrValues }), STRONG_ACR)
    await signInAtProvider(page, 'alice')
    await page.waitForURL(`${demo.spaOrigin}/`)
    await expect(page.getByTestId('status')).toHaveText('Signed in')

    const maxAge = 3
    await page.waitForTimeout((maxAge + 1) * 1000)
    const refused = await fetchOutcome(page, `${stepUpApi}?max_age=${maxAge}`)
    expect(refused).toEqual({ code: 'step_up_required', acrValues: STRONG_ACR, maxAge })

    const authorization = nextAuthorizationRequest(page)
    await page.evaluate(
      ({ acrValues, maxAge }) => void window.auth.login({ acrValues, maxAge }),
      refused as { acrValues: string; maxAge: number },
    )
    await authorization
    await expect(providerLoginForm(page)).toBeVisible()
    await signInAtProvider(page, 'alice')
    await page.waitForURL(`${demo.spaOrigin}/`)
    await expect(page.getByTestId('status')).toHaveText('Signed in')
    expect(await fetchOutcome(page, `${stepUpApi}?max_age=${maxAge}`)).toMatchObject({ status: 200 })
  })
})

test.describe('pushed authorization requests (RFC 9126)', () => {
  test('required by the provider: the browser URL carries only client_id and request_uri, and the login completes', async ({
    page,
  }) => {
    await providerSettings({ requirePar: true })
    const metadata = await (await fetch(`${demo.issuer}/.well-known/openid-configuration`)).json()
    expect(metadata).toMatchObject({ require_pushed_authorization_requests: true })

    const authorization = nextAuthorizationRequest(page)
    await page.goto('/')
    await page.getByRole('button', { name: 'Log in' }).click()
    const url = new URL((await authorization).url())
    expect([...url.searchParams.keys()]).toEqual(['client_id', 'request_uri'])
    expect(url.searchParams.get('client_id')).toBe(demo.clientId)
    await signInAtProvider(page, 'alice')
    await page.waitForURL(`${demo.spaOrigin}/`)
    await expect(page.getByTestId('status')).toHaveText('Signed in')
  })

  test('required by the provider: a client told par: false refuses with config_error, sending nothing', async ({
    page,
  }) => {
    await providerSettings({ requirePar: true })
    await page.goto('/')
    const code = await page.evaluate(
      async (options) => {
        // Quick-start mode (the package's own worker), on the demo's second redirect URI.
        const client = window.createAuthClient({ ...options, par: false })
        try {
          await client.login()
          return 'navigated'
        } catch (error) {
          return (error as { code?: string }).code
        } finally {
          client.close()
        }
      },
      { issuer: demo.issuer, clientId: demo.clientId, redirectUri: demo.altRedirectUri, scope: demo.scope },
    )
    expect(code).toBe('config_error')
  })

  test('with DPoP the pushed request carries a proof, nonce challenge included, and the tokens are DPoP-bound', async ({
    page,
  }) => {
    await providerSettings({ requireDpopNonce: true })
    await login(page)
    expect((await providerCounters()).par).toEqual({ requests: 1, withDpop: 1 })
    expect(await fetchOutcome(page, `${demo.apiOrigin}/api/me`)).toMatchObject({
      status: 200,
      body: { tokenType: 'DPoP', jkt: expect.any(String) },
    })
  })
})

test.describe('logout with id_token_hint (RP-Initiated Logout §2)', () => {
  test('logout({ idTokenHint: true }) sends the ID token, and no other, to the end-session endpoint', async ({
    page,
  }) => {
    await login(page)
    const { id, access, refresh } = await issuedTokens()
    const endSession = page.waitForRequest((request) => request.url().startsWith(`${demo.issuer}/session/end`))
    await page.evaluate(() => void window.auth.logout({ idTokenHint: true }))
    const url = (await endSession).url()
    expect(new URL(url).searchParams.get('id_token_hint')).toBe(id.at(-1))
    for (const token of [...access, ...refresh]) expect(url).not.toContain(token)
    await page.waitForURL(`${demo.spaOrigin}/`, { waitUntil: 'load' })
    await expect(page.getByTestId('status')).toHaveText('Signed out')
  })

  test('logout() by default sends no id_token_hint', async ({ page }) => {
    await login(page)
    const endSession = page.waitForRequest((request) => request.url().startsWith(`${demo.issuer}/session/end`))
    await page.getByRole('button', { name: 'Log out' }).click()
    const url = new URL((await endSession).url())
    expect(url.searchParams.has('id_token_hint')).toBe(false)
    expect(url.searchParams.get('client_id')).toBe(demo.clientId)
  })
})
