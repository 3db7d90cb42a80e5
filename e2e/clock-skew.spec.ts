import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import type { Page } from '@playwright/test'
import { login } from './support/spa-session.js'
import { demo, expect, test } from './support/test'

/**
 * A provider and an API whose clocks are six minutes off this browser's, ahead and then behind
 * (demo/shared/shifted-clock.js, `CLOCK_OFFSET_SECONDS`): the ID token's `exp` and the DPoP proofs'
 * `iat` must be judged by their clocks, the access token's expiry by the browser's.
 *
 * The provider's tokens live 4 s, so a provider six minutes behind issues ID tokens that are long
 * expired by the browser's clock, and the refresh comes due within the test. The provider takes a
 * proof's `iat` within 5 minutes of its clock, and answers one further off with a nonce challenge
 * (oidc-provider); the demo API within 60 s, and exposes its `Date`.
 *
 * Each server has its own port (environment, by default just above the suite's), so this spec's
 * provider, API and SPA never meet the shared ones; the provider and the API run in processes of
 * their own, since their clocks are shifted.
 */
const HOST = '127.0.0.1'
const env = process.env
const ports = {
  spa: Number(env.CLOCK_SKEW_SPA_PORT ?? demo.spaPort + 7),
  provider: Number(env.CLOCK_SKEW_PROVIDER_PORT ?? demo.providerPort + 2),
  api: Number(env.CLOCK_SKEW_API_PORT ?? demo.apiPort + 2),
  outsider: Number(env.CLOCK_SKEW_OUTSIDER_PORT ?? demo.outsiderPort + 2),
}
const spaOrigin = `http://${HOST}:${ports.spa}`
const issuer = `http://${HOST}:${ports.provider}`
const apiOrigin = `http://${HOST}:${ports.api}`
const me = `${apiOrigin}/api/me`
const TOKEN_TTL_SECONDS = 4
const repo = resolve(import.meta.dirname, '..')

/** Runs `command` in the repository with `extra` in its environment; its output goes to the test's. */
function run(command: string, extra: Record<string, string>): ChildProcess {
  return spawn('sh', ['-c', command], { cwd: repo, env: { ...env, ...extra }, stdio: ['ignore', 'inherit', 'inherit'] })
}

async function waitFor(url: string, server: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt++) {
    if (server.exitCode !== null) throw new Error(`the server for ${url} exited with ${server.exitCode}`)
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 250))
  }
  throw new Error(`${url} did not answer within a minute`)
}

async function stop(server: ChildProcess | undefined): Promise<void> {
  if (!server || server.exitCode !== null) return
  const exited = new Promise((done) => server.once('exit', done))
  server.kill()
  await exited
}

let spa: ChildProcess | undefined

test.beforeAll(async () => {
  test.setTimeout(90_000)
  const vite = 'node node_modules/vite/bin/vite.js'
  spa = run(`${vite} build demo/spa --logLevel warn && exec ${vite} preview demo/spa`, {
    SPA_PORT: String(ports.spa),
    OUTSIDER_PORT: String(ports.outsider),
    DEMO_ISSUER: issuer,
    DEMO_API_ORIGIN: apiOrigin,
  })
  await waitFor(`${spaOrigin}/`, spa)
})

test.afterAll(() => stop(spa))

/** The page's `auth.fetch` of the API's `/api/me`: its status and the `sub` it answered with. */
function callApi(page: Page): Promise<{ status: number; sub?: string }> {
  return page.evaluate(async (url) => {
    const response = await window.auth.fetch(url)
    const body = response.ok ? ((await response.json()) as { sub?: string }) : {}
    return { status: response.status, ...(body.sub !== undefined && { sub: body.sub }) }
  }, me)
}

async function providerCounters(): Promise<{ token: { refresh_token: number }; dpopNonceChallenges: number }> {
  return (await fetch(`${issuer}/__test/counters`)).json()
}

/** How many requests for `/api/me` the API has seen, preflights aside. */
async function apiCalls(): Promise<number> {
  const log = (await (await fetch(`${apiOrigin}/__log`)).json()) as { method: string; path: string }[]
  return log.filter((entry) => entry.method === 'GET' && entry.path === '/api/me').length
}

for (const minutes of [6, -6]) {
  test.describe(`provider and API ${Math.abs(minutes)} minutes ${minutes > 0 ? 'ahead' : 'behind'}`, () => {
    const offset = String(minutes * 60)
    let provider: ChildProcess | undefined
    let api: ChildProcess | undefined

    test.beforeAll(async () => {
      provider = run('exec node demo/provider/server.js', {
        PROVIDER_PORT: String(ports.provider),
        SPA_ORIGIN: spaOrigin,
        API_ORIGIN: apiOrigin,
        ACCESS_TOKEN_TTL: String(TOKEN_TTL_SECONDS),
        TEST_HOOKS: '1',
        CLOCK_OFFSET_SECONDS: offset,
      })
      api = run('exec node demo/api/server.js', {
        API_PORT: String(ports.api),
        OUTSIDER_PORT: String(ports.outsider),
        ISSUER: issuer,
        SPA_ORIGIN: spaOrigin,
        CLOCK_OFFSET_SECONDS: offset,
      })
      await waitFor(`${issuer}/.well-known/openid-configuration`, provider)
      await waitFor(`${apiOrigin}/api/public`, api)
      // The servers do run on their shifted clocks.
      const skew = Date.parse((await fetch(`${apiOrigin}/api/public`)).headers.get('date') ?? '') - Date.now()
      expect(Math.abs(skew - minutes * 60_000)).toBeLessThan(5_000)
    })

    test.afterAll(async () => {
      await Promise.all([stop(provider), stop(api)])
    })

    test('login, a DPoP call to the API and a refresh all succeed', async ({ page }) => {
      await login(page, 'alice', spaOrigin)
      // Before the first token response nothing tells the provider's time: its nonces do the work.
      const { dpopNonceChallenges } = await providerCounters()
      expect(dpopNonceChallenges).toBeGreaterThan(0)

      // The first proof is dated by the browser's clock: refused, then sent again by the API's.
      expect(await callApi(page)).toEqual({ status: 200, sub: 'alice' })
      expect(await apiCalls()).toBe(2)

      // By the browser's clock, the refresh comes due at half the token's lifetime.
      const { expiresAt } = await page.evaluate(() => window.auth.getState())
      if (expiresAt === null) throw new Error('no expiry')
      await page.waitForTimeout(Math.max(0, expiresAt - (TOKEN_TTL_SECONDS * 1000) / 2 - Date.now() + 200))
      expect(await callApi(page)).toEqual({ status: 200, sub: 'alice' })
      // The refresh's proof is dated by the provider's clock, which the ID token told: no challenge.
      expect(await providerCounters()).toMatchObject({ token: { refresh_token: 1 }, dpopNonceChallenges })
      const refreshed = await page.evaluate(() => window.auth.getState())
      expect(refreshed.expiresAt).toBeGreaterThan(expiresAt)
      // The API's clock is known now: no more refusals.
      expect(await apiCalls()).toBe(3)
    })
  })
}
