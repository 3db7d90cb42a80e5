// @ts-check
/**
 * CLI entry for the demo API and the outsider server.
 *
 * Env: API_PORT (9100), OUTSIDER_PORT (9200), ISSUER, SPA_ORIGIN, EXTRA_ORIGINS (comma list),
 * REQUIRE_DPOP_NONCE=1, CHECK_REVOCATION=1,
 * CLOCK_OFFSET_SECONDS (tests only): run this process's clock that many seconds off, `Date` header
 * included (demo/shared/shifted-clock.js).
 */
// First: every module after it reads the shifted clock.
import '../shared/shifted-clock.js'
import { closeOnSignals } from '../shared/http-server.js'
import { startApi, startOutsider } from './api.js'

const env = process.env

const api = await startApi({
  port: Number(env.API_PORT ?? 9100),
  ...(env.ISSUER ? { issuer: env.ISSUER } : {}),
  ...(env.SPA_ORIGIN ? { spaOrigin: env.SPA_ORIGIN } : {}),
  extraOrigins: (env.EXTRA_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean),
  requireDpopNonce: env.REQUIRE_DPOP_NONCE === '1',
  checkRevocation: env.CHECK_REVOCATION === '1',
})
const outsider = await startOutsider({ port: Number(env.OUTSIDER_PORT ?? 9200) })

console.log(`api: ${api.origin}`)
console.log(`outsider: ${outsider.origin}`)
closeOnSignals([api, outsider])
