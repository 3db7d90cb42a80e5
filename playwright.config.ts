import { defineConfig } from '@playwright/test'
import * as demo from './demo/spa/settings.js'
import { CHROMIUM_ARGS, chromiumPath } from './scripts/chromium.js'

const executablePath = chromiumPath()
const vite = 'node node_modules/vite/bin/vite.js'

/** Every server gets the same ports the suite uses (SPA_PORT, PROVIDER_PORT, API_PORT, OUTSIDER_PORT). */
const ports = {
  SPA_PORT: String(demo.spaPort),
  PROVIDER_PORT: String(demo.providerPort),
  API_PORT: String(demo.apiPort),
  OUTSIDER_PORT: String(demo.outsiderPort),
}

/** The e2e suite: real Chromium against the demo's real provider, API and SPA (built, under CSP). */
export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  // The servers are shared and stateful (token counters, request logs): one test at a time.
  workers: 1,
  retries: 0,
  timeout: 30_000,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: demo.spaOrigin,
    launchOptions: { ...(executablePath && { executablePath }), args: CHROMIUM_ARGS },
    trace: 'off',
  },
  webServer: [
    {
      command: 'node demo/provider/server.js',
      url: `${demo.issuer}/.well-known/openid-configuration`,
      env: {
        ...ports,
        TEST_HOOKS: '1',
        SPA_ORIGIN: demo.spaOrigin,
        API_ORIGIN: demo.apiOrigin,
        EXTRA_REDIRECT_URIS: demo.altRedirectUri,
      },
      reuseExistingServer: false,
    },
    {
      command: 'node demo/api/server.js',
      url: `${demo.apiOrigin}/api/public`,
      env: { ...ports, ISSUER: demo.issuer, SPA_ORIGIN: demo.spaOrigin },
      reuseExistingServer: false,
    },
    {
      command: `${vite} build demo/spa --logLevel warn && ${vite} preview demo/spa`,
      url: `${demo.spaOrigin}/`,
      env: ports,
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
})
