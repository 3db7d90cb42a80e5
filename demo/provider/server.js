// @ts-check
/**
 * CLI entry for the demo provider.
 *
 * Env: PROVIDER_PORT (9000), SPA_ORIGIN, API_ORIGIN, ACCESS_TOKEN_TTL (seconds),
 * REQUIRE_DPOP_NONCE=1, TEST_HOOKS=1, EXTRA_REDIRECT_URIS (comma list), DEBUG_DEMO (request log),
 * ISSUER_PATH (mount under a path, e.g. `/realms/demo`, which the issuer then ends with),
 * CLOCK_OFFSET_SECONDS (tests only): run this process's clock that many seconds off, `Date` header
 * included (demo/shared/shifted-clock.js).
 */
// First: every module after it reads the shifted clock.
import '../shared/shifted-clock.js'
import { closeOnSignals } from '../shared/http-server.js'
import { startProvider } from './provider.js'

const env = process.env

const provider = await startProvider({
  port: Number(env.PROVIDER_PORT ?? 9000),
  ...(env.SPA_ORIGIN ? { spaOrigin: env.SPA_ORIGIN } : {}),
  ...(env.API_ORIGIN ? { apiOrigin: env.API_ORIGIN } : {}),
  ...(env.ACCESS_TOKEN_TTL ? { accessTokenTtl: Number(env.ACCESS_TOKEN_TTL) } : {}),
  requireDpopNonce: env.REQUIRE_DPOP_NONCE === '1',
  testHooks: env.TEST_HOOKS === '1',
  ...(env.ISSUER_PATH ? { issuerPath: env.ISSUER_PATH } : {}),
  extraRedirectUris: (env.EXTRA_REDIRECT_URIS ?? '')
    .split(',')
    .map((uri) => uri.trim())
    .filter(Boolean),
})

console.log(`provider: ${provider.issuer}`)
closeOnSignals([provider])
