import { everythingThePageCanRead } from './support/page-readable'
import { fillProviderLogin, submitProviderLogin } from './support/provider-login.js'
import { clearRequestLog, issuedTokens, providerCounters, requestLog } from './support/servers.js'
import { ROUTER_STATE, writeRouterStateOnCallback } from './support/router-state'
import { login, logout } from './support/spa-session.js'
import { demo, expect, test } from './support/test'
import { findTokens } from './support/token-search'

const me = `${demo.apiOrigin}/api/me`

test('login → fetch → reload → fetch → logout, with no token anywhere the page can read', async ({
  page,
  consoleLines,
}) => {
  await login(page)

  await page.getByRole('button', { name: 'Call the API' }).click()
  await expect(page.getByTestId('api-result')).toContainText('200')
  const first = JSON.parse((await page.getByTestId('api-result').textContent())!.split('\n').slice(1).join('\n'))
  expect(first).toMatchObject({ sub: 'alice', tokenType: 'DPoP' })
  expect(first.jkt).toEqual(expect.any(String))

  await page.reload()
  await expect(page.getByTestId('status')).toHaveText('Signed in')
  const afterReload = await page.evaluate(async (url) => {
    const response = await window.auth.fetch(url)
    return { status: response.status, body: await response.json() }
  }, me)
  expect(afterReload).toMatchObject({ status: 200, body: { sub: 'alice', tokenType: 'DPoP', jkt: first.jkt } })

  const user = await page.evaluate(() => window.auth.getUser())
  expect(user).toMatchObject({ sub: 'alice', email: 'alice@example.test' })

  const tokens = await issuedTokens()
  expect(tokens.access.length).toBeGreaterThan(0)
  expect(tokens.refresh.length).toBeGreaterThan(0)
  const secrets = [...tokens.access, ...tokens.refresh]
  expect(findTokens(await everythingThePageCanRead(page), secrets)).toEqual([])

  const revocationsBefore = (await providerCounters()).revocation
  await logout(page)
  expect((await providerCounters()).revocation).toBeGreaterThan(revocationsBefore)

  const afterLogout = await page.evaluate(async (url) => {
    try {
      await window.auth.fetch(url)
      return 'sent'
    } catch (error) {
      return (error as { code?: string }).code
    }
  }, me)
  expect(afterLogout).toBe('login_required')

  expect(findTokens(await everythingThePageCanRead(page), secrets)).toEqual([])
  expect(findTokens(consoleLines.join('\n'), secrets)).toEqual([])
})

test('the callback keeps the history.state a router wrote', async ({ page }) => {
  await writeRouterStateOnCallback(page)
  await login(page)
  expect(await page.evaluate(() => history.state)).toEqual(ROUTER_STATE)
})

test('credentials go only to allowed targets', async ({ page }) => {
  await login(page)
  await clearRequestLog(demo.outsiderOrigin)
  await clearRequestLog(demo.apiOrigin)

  const statuses = await page.evaluate(
    async ({ outsider, api }) => {
      const results: (number | string)[] = []
      // Another origin altogether.
      results.push((await window.auth.fetch(`${outsider}/api/me`)).status)
      // The allowed origin, outside the allowed path prefix `/api/`.
      // The demo API sends no CORS headers there: the page cannot read the answer, the server still logs it.
      results.push(
        await window.auth.fetch(`${api}/outside-the-prefix`).then(
          (r) => r.status,
          () => 'unreadable',
        ),
      )
      // The allowed prefix.
      results.push((await window.auth.fetch(`${api}/api/me`)).status)
      return results
    },
    { outsider: demo.outsiderOrigin, api: demo.apiOrigin },
  )
  expect(statuses).toEqual([200, 'unreadable', 200])

  const outsider = await requestLog(demo.outsiderOrigin)
  expect(outsider.filter((r) => r.method !== 'OPTIONS')).toEqual([
    expect.objectContaining({ path: '/api/me', authorization: false, dpop: false }),
  ])
  const api = (await requestLog(demo.apiOrigin)).filter((r) => r.method !== 'OPTIONS')
  expect(api.find((r) => r.path === '/outside-the-prefix')).toMatchObject({ authorization: false, dpop: false })
  expect(api.find((r) => r.path === '/api/me')).toMatchObject({ authorization: true, dpop: true })
})

test('a redirect from an allowed API to another origin carries no credentials', async ({ page }) => {
  await login(page)
  await clearRequestLog(demo.outsiderOrigin)
  await clearRequestLog(demo.apiOrigin)
  const statuses = await page.evaluate(
    async ({ api, outsider }) => {
      const to = encodeURIComponent(`${outsider}/landed`)
      // A public redirect: the credential-free re-send follows it to the other origin.
      const followed = (await window.auth.fetch(`${api}/api/public/redirect?to=${to}`)).status
      // An authenticated redirect: followed without credentials, so the API refuses the re-send.
      const refused = (await window.auth.fetch(`${api}/api/redirect?to=${to}`)).status
      return [followed, refused]
    },
    { api: demo.apiOrigin, outsider: demo.outsiderOrigin },
  )
  expect(statuses).toEqual([200, 401])
  // `redirect: 'manual'` gets the redirect itself, opaque as with plain fetch, and follows nothing.
  const manual = await page.evaluate(
    async ({ api, outsider }) => {
      const to = encodeURIComponent(`${outsider}/manual`)
      const response = await window.auth.fetch(`${api}/api/public/redirect?to=${to}`, { redirect: 'manual' })
      return response.status
    },
    { api: demo.apiOrigin, outsider: demo.outsiderOrigin },
  )
  expect(manual).toBe(0)
  const landed = (await requestLog(demo.outsiderOrigin)).filter((r) => r.method !== 'OPTIONS')
  expect(landed).toEqual([expect.objectContaining({ path: '/landed', authorization: false, dpop: false })])
  // The API saw each redirecting request twice: once with credentials, once re-sent without.
  const api = (await requestLog(demo.apiOrigin)).filter((r) => r.method !== 'OPTIONS')
  expect(api.map((r) => [r.path, r.authorization, r.dpop])).toEqual([
    ['/api/public/redirect', true, true],
    ['/api/public/redirect', false, false],
    ['/api/redirect', true, true],
    ['/api/redirect', false, false],
    ['/api/public/redirect', true, true],
  ])
  expect((await requestLog(demo.outsiderOrigin)).some((r) => r.path === '/manual')).toBe(false)
})

test('a callback URL replayed in a new page load is refused with invalid_state', async ({ page }) => {
  await page.goto('/')
  await page.getByRole('button', { name: 'Log in' }).click()
  await fillProviderLogin(page, 'bob')
  // Catch the callback URL on its way back, before the SPA consumes it.
  const callback = page.waitForRequest((request) => request.url().startsWith(`${demo.spaOrigin}/callback?`))
  await submitProviderLogin(page)
  const callbackUrl = (await callback).url()
  await expect(page.getByTestId('status')).toHaveText('Signed in')
  // The state can reach the page before the callback's answer, which cleans the address.
  await expect(page).toHaveURL(`${demo.spaOrigin}/`)

  await page.goto(callbackUrl)
  await expect(page.getByTestId('error')).toContainText('invalid_state')
  expect(page.url()).not.toContain('code=')
})

test('handleRedirectCallback is idempotent within a page load (StrictMode runs it twice)', async ({ page }) => {
  await page.goto('/')
  const codesBefore = (await providerCounters()).token.authorization_code
  await page.getByRole('button', { name: 'Log in' }).click()
  await fillProviderLogin(page, 'carol')
  const callback = page.waitForRequest((request) => request.url().startsWith(`${demo.spaOrigin}/callback?`))
  await submitProviderLogin(page)
  const callbackUrl = (await callback).url()
  await expect(page.getByTestId('status')).toHaveText('Signed in')

  // The SPA already handled this URL on load; two more calls in the same page load share its result.
  const subjects = await page.evaluate(async (url) => {
    const results = await Promise.all([
      window.auth.handleRedirectCallback(url),
      window.auth.handleRedirectCallback(url),
    ])
    return results.map((result) => result.user?.sub)
  }, callbackUrl)
  expect(subjects).toEqual(['carol', 'carol'])
  expect((await providerCounters()).token.authorization_code).toBe(codesBefore + 1)
})

test('invalid options: the page throws for what it routes by, the worker rejects every call naming the rest', async ({
  page,
}) => {
  await page.goto('/')
  const outcome = await page.evaluate(async () => {
    const base = { issuer: 'https://id.example.com', clientId: 'spa', redirectUri: `${location.origin}/callback` }
    const thrown = (options: object) => {
      try {
        window.createAuthClient(options as Parameters<typeof window.createAuthClient>[0])
        return 'created'
      } catch (error) {
        return (error as { code?: string }).code
      }
    }
    const rejected = async (options: object) => {
      const client = window.createAuthClient(options as Parameters<typeof window.createAuthClient>[0])
      const [state, login] = await Promise.all(
        [client.getState(), client.login()].map((call) =>
          call.then(
            () => 'resolved',
            (e: { code?: string; message?: string }) => `${e.code}: ${e.message}`,
          ),
        ),
      )
      client.close()
      return { state, login }
    }
    return {
      allowedOrigins: thrown({ ...base, allowedOrigins: ['api.example.com'] }),
      notCloneable: thrown({ ...base, scope: { toString: () => 'openid' }, extra: () => 1 }),
      issuer: await rejected({ ...base, issuer: 'http://id.example.com' }),
      redirectOrigin: await rejected({ ...base, redirectUri: 'https://elsewhere.example/callback' }),
      redirectRelative: await rejected({ ...base, redirectUri: 'callback' }),
    }
  })
  expect(outcome).toMatchObject({ allowedOrigins: 'config_error', notCloneable: 'config_error' })
  expect(outcome.issuer.state).toMatch(/^config_error: issuer must use https/)
  expect(outcome.issuer.login).toBe(outcome.issuer.state)
  expect(outcome.redirectOrigin.state).toMatch(/^config_error: redirectUri must be on the page's own origin/)
  expect(outcome.redirectRelative.state).toMatch(/^config_error: redirectUri must be an absolute URL/)
  expect(page.url()).toBe(`${demo.spaOrigin}/`)
})

test("returnTo off the page's origin is a config_error, and nothing navigates", async ({ page }) => {
  await page.goto('/')
  const codes = await page.evaluate(async () => {
    const code = (promise: Promise<unknown>) =>
      promise.then(
        () => 'resolved',
        (e: { code?: string }) => e.code,
      )
    return [
      await code(window.auth.login({ returnTo: 'https://evil.example/' })),
      await code(window.auth.logout({ returnTo: '//evil.example/x' })),
    ]
  })
  expect(codes).toEqual(['config_error', 'config_error'])
  expect(page.url()).toBe(`${demo.spaOrigin}/`)
})
