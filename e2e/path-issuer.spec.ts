import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { startApi } from '../demo/api/api.js'
import { startProvider } from '../demo/provider/provider.js'
import { providerLoginForm, signInAtProvider } from './support/provider-login.js'
import { demo, expect, test } from './support/test'

/**
 * An issuer with a path, as Keycloak (`/realms/x`), Okta (`/oauth2/default`) and Entra ID (`/v2.0`)
 * have: the demo provider mounted under `/realms/demo`, and the demo SPA built for it and served with
 * its real CSP (demo/spa/settings.js), whose `connect-src` must let the worker reach discovery and
 * every endpoint below the issuer, not the issuer URL alone.
 *
 * Each server has its own port (environment, by default just above the suite's), so this spec's
 * provider, API and SPA never meet the shared ones.
 */
const HOST = '127.0.0.1'
const env = process.env
const ports = {
  spa: Number(env.PATH_ISSUER_SPA_PORT ?? demo.spaPort + 6),
  provider: Number(env.PATH_ISSUER_PROVIDER_PORT ?? demo.providerPort + 1),
  api: Number(env.PATH_ISSUER_API_PORT ?? demo.apiPort + 1),
}
const spaOrigin = `http://${HOST}:${ports.spa}`
const apiOrigin = `http://${HOST}:${ports.api}`
const issuerPath = '/realms/demo'
const repo = resolve(import.meta.dirname, '..')

const handles: Array<{ close(): Promise<void> }> = []
let spa: ChildProcess | undefined

/** Builds and previews demo/spa for this provider, as `vite build` and `vite preview` on the CLI. */
function startSpa(issuer: string): ChildProcess {
  const vite = 'node node_modules/vite/bin/vite.js'
  return spawn('sh', ['-c', `${vite} build demo/spa --logLevel warn && exec ${vite} preview demo/spa`], {
    cwd: repo,
    env: { ...env, SPA_PORT: String(ports.spa), DEMO_ISSUER: issuer, DEMO_API_ORIGIN: apiOrigin },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
}

async function waitForSpa(): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt++) {
    if (spa?.exitCode !== null) throw new Error(`the SPA's build or preview exited with ${spa?.exitCode}`)
    try {
      if ((await fetch(`${spaOrigin}/`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 250))
  }
  throw new Error(`${spaOrigin} did not answer within a minute`)
}

test.beforeAll(async () => {
  test.setTimeout(90_000)
  const provider = await startProvider({ port: ports.provider, issuerPath, spaOrigin, apiOrigin })
  handles.push(provider)
  handles.push(await startApi({ port: ports.api, issuer: provider.issuer, spaOrigin }))
  spa = startSpa(provider.issuer)
  await waitForSpa()
})

test.afterAll(async () => {
  spa?.kill()
  await Promise.all(handles.map((handle) => handle.close()))
})

test('log in and call the API against an issuer with a path, under the SPA’s CSP', async ({ page }) => {
  const issuer = `http://${HOST}:${ports.provider}${issuerPath}`
  const metadata = await page.request.get(`${issuer}/.well-known/openid-configuration`)
  expect(await metadata.json()).toMatchObject({ issuer, token_endpoint: `${issuer}/token` })

  await page.goto(`${spaOrigin}/`)
  await expect(page.getByTestId('status')).toHaveText('Signed out')
  await page.getByRole('button', { name: 'Log in' }).click()
  // Under a CSP that names the issuer URL alone, discovery is refused: `network_error` here.
  const error = page.getByTestId('error')
  await expect(providerLoginForm(page).or(error)).toBeVisible()
  await expect(error).toBeHidden()
  await signInAtProvider(page, 'alice')
  await page.waitForURL(`${spaOrigin}/`)
  await expect(page.getByTestId('status')).toHaveText('Signed in')

  await page.getByRole('button', { name: 'Call the API' }).click()
  await expect(page.getByTestId('api-result')).toContainText('200')
  await expect(page.getByTestId('api-result')).toContainText('"sub": "alice"')
})
