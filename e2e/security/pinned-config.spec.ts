import type { Page } from '@playwright/test'
import { clearRequestLog, providerCounters, requestLog, type Counters } from '../support/servers.js'
import { login, logout } from '../support/spa-session.js'
import { demo, expect, test } from '../support/test'
import { captureWorkers, terminateSdkWorker } from '../support/worker-capture'
import { refuseIssuedAccessTokens } from './session-scenario'
import { clientVersion, proxiedListener, raw, sendToWorker, wireRequest, type CraftedMessage } from './worker-channel'

const outsider = demo.outsiderOrigin
const me = `${demo.apiOrigin}/api/me`

/** A configuration as the page's client sends it to `init`, pointing everything at the outsider. */
const hostileConfig = {
  issuer: outsider,
  clientId: demo.clientId,
  redirectUri: `${demo.spaOrigin}/callback`,
  scope: demo.scope,
  postLogoutRedirectUri: null,
  allowedOrigins: [outsider],
  dpop: false,
  persistence: 'indexeddb',
  refreshLeewaySeconds: 0,
}

test.beforeEach(async ({ page }) => {
  // Script that ran before the SDK kept its worker: the strongest position page script can have.
  await captureWorkers(page)
})

/**
 * After the crafted messages: a refresh, a credentialed fetch and a logout with revocation, all of
 * which must reach the provider and the API as configured by the SDK, and nothing the outsider.
 */
async function expectTokensGoOnlyWhereConfigured(page: Page): Promise<void> {
  const before: Counters = await providerCounters()
  await refuseIssuedAccessTokens()
  expect(await page.evaluate(async (url) => (await window.auth.fetch(url)).status, me)).toBe(200)
  const outsideAnswer = await sendToWorker(page, {
    type: 'APPLY',
    path: ['fetch'],
    argumentList: [raw(wireRequest(`${outsider}/after-the-attempt`))],
  })
  expect(outsideAnswer).toMatchObject({ kind: 'response', status: 200 })
  await logout(page)

  const after = await providerCounters()
  expect(after.token.refresh_token, 'the refresh reached the provider').toBe(before.token.refresh_token + 1)
  expect(after.revocation, 'the revocations reached the provider').toBeGreaterThan(before.revocation)
  const reached = (await requestLog(outsider)).filter((r) => r.method !== 'OPTIONS')
  expect(reached).toEqual([expect.objectContaining({ path: '/after-the-attempt', authorization: false, dpop: false })])
}

test('a second init, naming another token endpoint and allowlist, is refused with config_error', async ({ page }) => {
  await login(page)
  await clearRequestLog(outsider)

  // Well-formed calls, as the SDK's own client makes them: refused for being a second init.
  const reinit = await sendToWorker(page, {
    type: 'APPLY',
    path: ['init'],
    argumentList: [raw(hostileConfig), proxiedListener, raw(clientVersion), raw(null)],
  })
  expect(reinit).toMatchObject({
    kind: 'refused',
    code: 'config_error',
    error: { message: 'the worker is already initialised' },
  })
  // The same configuration as the SDK's own, with only the allowlist widened.
  const widened = await sendToWorker(page, {
    type: 'APPLY',
    path: ['init'],
    argumentList: [
      raw({
        ...hostileConfig,
        issuer: demo.issuer,
        redirectUri: `${demo.spaOrigin}/callback`,
        postLogoutRedirectUri: `${demo.spaOrigin}/`,
        allowedOrigins: [`${demo.apiOrigin}/api/`, outsider],
        dpop: null,
        refreshLeewaySeconds: 30,
      }),
      proxiedListener,
      raw(clientVersion),
      raw(null),
    ],
  })
  expect(widened).toMatchObject({
    kind: 'refused',
    code: 'config_error',
    error: { message: 'the worker is already initialised' },
  })

  await expectTokensGoOnlyWhereConfigured(page)
})

test('calls outside the worker API (unknown methods, property reads and writes, constructors) are refused with config_error', async ({
  page,
}) => {
  await login(page)
  await clearRequestLog(outsider)

  const crafted: [string, CraftedMessage][] = [
    ['an unknown method', { type: 'APPLY', path: ['getTokens'], argumentList: [] }],
    ['a method of a method', { type: 'APPLY', path: ['fetch', 'call'], argumentList: [raw(null)] }],
    ['reading a method', { type: 'GET', path: ['init'] }],
    ['reading the whole object', { type: 'GET', path: [] }],
    ['reading a prototype', { type: 'GET', path: ['__proto__'] }],
    ['replacing a method', { type: 'SET', path: ['fetch'], value: raw(null) }],
    ['writing to Object.prototype', { type: 'SET', path: ['__proto__', 'polluted'], value: raw(true) }],
    [
      'writing through constructor.prototype',
      { type: 'SET', path: ['constructor', 'prototype', 'polluted'], value: raw(true) },
    ],
    [
      'the Function constructor',
      { type: 'CONSTRUCT', path: ['init', 'constructor'], argumentList: [raw('return self')] },
    ],
    [
      'calling the Function constructor',
      { type: 'APPLY', path: ['init', 'constructor'], argumentList: [raw('return 1')] },
    ],
    ['a second endpoint', { type: 'ENDPOINT', path: [] }],
    [
      'a non-data argument',
      {
        type: 'APPLY',
        path: ['getState'],
        argumentList: [{ type: 'HANDLER', name: 'throw', value: { isError: false, value: 1 } }],
      },
    ],
    ['an unknown message type', { type: 'EVAL', path: ['init'], argumentList: [] }],
  ]
  for (const [what, message] of crafted) {
    expect(await sendToWorker(page, message), what).toMatchObject({ kind: 'refused', code: 'config_error' })
  }
  // The API's own calls still work, crafted by hand like the rest.
  expect(await sendToWorker(page, { type: 'APPLY', path: ['getState'], argumentList: [] })).toMatchObject({
    kind: 'value',
    value: { authenticated: true },
  })

  await expectTokensGoOnlyWhereConfigured(page)
})

test('a prototype-polluting write cannot move the token or revocation endpoint', async ({ page }) => {
  await login(page)
  await clearRequestLog(outsider)

  // oauth4webapi resolves endpoints through `client.use_mtls_endpoint_aliases` and
  // `as.mtls_endpoint_aliases`: on Object.prototype, they would send the refresh token elsewhere.
  const aliases = { token_endpoint: `${outsider}/token`, revocation_endpoint: `${outsider}/revocation` }
  for (const [property, value] of [
    ['use_mtls_endpoint_aliases', true],
    ['mtls_endpoint_aliases', aliases],
  ] as const) {
    const answer = await sendToWorker(page, { type: 'SET', path: ['__proto__', property], value: raw(value) })
    expect(answer, property).toMatchObject({ kind: 'refused', code: 'config_error' })
  }

  await expectTokensGoOnlyWhereConfigured(page)
})

test("options are copied at creation: widening the caller's allowedOrigins reaches no later worker", async ({
  page,
}) => {
  await login(page)
  await clearRequestLog(outsider)
  await page.evaluate(
    async ({ issuer, clientId, scope, api }) => {
      const origins = [`${api}/api/`]
      const client = window.createAuthClient({
        issuer,
        clientId,
        scope,
        redirectUri: `${location.origin}/callback`,
        allowedOrigins: origins,
      })
      await client.getState()
      Object.assign(window, { origins, restarted: client })
    },
    { issuer: demo.issuer, clientId: demo.clientId, scope: demo.scope, api: demo.apiOrigin },
  )
  // Script holding the caller's array widens it, then kills the worker so that a new one starts.
  await page.evaluate((outsider) => (window as unknown as { origins: string[] }).origins.push(outsider), outsider)
  await terminateSdkWorker(page)
  await page.evaluate(() => (window as unknown as { restarted: typeof window.auth }).restarted.getState())
  // The restarted worker (the latest one) got the options as they were at creation.
  const answer = await sendToWorker(page, {
    type: 'APPLY',
    path: ['fetch'],
    argumentList: [raw(wireRequest(`${outsider}/widened`))],
  })
  expect(answer).toMatchObject({ kind: 'response', status: 200 })
  const reached = (await requestLog(outsider)).filter((r) => r.method !== 'OPTIONS')
  expect(reached).toEqual([expect.objectContaining({ path: '/widened', authorization: false, dpop: false })])
})
