import { defineConfig } from '@playwright/test'
import * as demo from './demo/spa/settings.js'
import * as consumers from './e2e/consumers/settings.js'
import * as misbehaving from './e2e/misbehaving-provider/settings.js'
import { CHROMIUM_ARGS, chromiumPath } from './scripts/chromium.js'

const executablePath = chromiumPath()
const vite = 'node node_modules/vite/bin/vite.js'

/**
 * Every server gets the same ports the suite uses (SPA_PORT, PROVIDER_PORT, API_PORT, OUTSIDER_PORT,
 * MISBEHAVING_PORT).
 */
const ports = {
  SPA_PORT: String(demo.spaPort),
  PROVIDER_PORT: String(demo.providerPort),
  API_PORT: String(demo.apiPort),
  OUTSIDER_PORT: String(demo.outsiderPort),
  MISBEHAVING_PORT: String(misbehaving.port),
}

/** Apps besides the SPA that log in at the demo provider and call the demo API, each on its own origin. */
const otherApps = {
  redirectUris: [demo.reactRedirectUri, ...consumers.redirectUris],
  origins: [demo.reactOrigin, ...Object.values(consumers.origins)],
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
  reporter: 'list',
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
        EXTRA_REDIRECT_URIS: [demo.altRedirectUri, ...otherApps.redirectUris].join(','),
      },
      reuseExistingServer: false,
    },
    {
      command: 'node demo/api/server.js',
      url: `${demo.apiOrigin}/api/public`,
      env: { ...ports, ISSUER: demo.issuer, SPA_ORIGIN: demo.spaOrigin, EXTRA_ORIGINS: otherApps.origins.join(',') },
      reuseExistingServer: false,
    },
    {
      // The protocol's failure cases, one mode at a time (e2e/misbehaving-provider.spec.ts).
      command: 'node e2e/misbehaving-provider/server.js',
      url: `${misbehaving.issuer}/.well-known/openid-configuration`,
      env: { ...ports, SPA_ORIGIN: demo.spaOrigin },
      reuseExistingServer: false,
    },
    {
      command: `${vite} build demo/spa --logLevel warn && ${vite} preview demo/spa`,
      url: `${demo.spaOrigin}/`,
      // The page's CSP must let the worker reach the misbehaving provider too.
      env: { ...ports, DEMO_CONNECT_SRC: [...demo.extraConnectSrc, misbehaving.issuer].join(' ') },
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
})
