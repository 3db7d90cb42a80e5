// @ts-check
/**
 * The demo servers' test hooks, from Node: what the provider issued and counted, what the API and
 * the outsider were sent, and the settings a test or the bench changes. Used by e2e and bench alike
 * (plain JavaScript, so `node bench/bench.js` can import it).
 */
import { decodeJwt } from 'jose'
import * as demo from '../../demo/spa/settings.js'

/**
 * @typedef {object} IssuedTokens every token value the provider's token endpoint has issued so far
 * @property {string[]} access
 * @property {string[]} refresh
 * @property {string[]} id
 */

/**
 * @typedef {object} Counters what the provider counted since the last reset (demo/provider/test-hooks.js)
 * @property {{ authorization_code: number, refresh_token: number }} token
 * @property {Record<string, number>} errors
 * @property {number} revocation
 * @property {number} dpopNonceChallenges
 * @property {number} dropped
 * @property {{ requests: number, withDpop: number }} par pushed authorization requests, and those with a DPoP proof
 */

/**
 * @typedef {object} LoggedRequest one request a server of the demo saw
 * @property {string} method
 * @property {string} path
 * @property {boolean} authorization whether it carried `Authorization`
 * @property {boolean} dpop whether it carried `DPoP`
 */

/**
 * @typedef {object} ProviderSettings
 * @property {number} accessTokenTtl seconds
 * @property {boolean} requireDpopNonce
 * @property {'up' | 'down' | 'hang'} tokenEndpoint `'down'` drops token requests; `'hang'` never answers them
 * @property {boolean} requirePar RFC 9126 §5 `require_pushed_authorization_requests`, in the metadata and for the SPA's client
 */

/**
 * @typedef {object} ApiSettings
 * @property {boolean} requireDpopNonce
 * @property {boolean} checkRevocation
 */

/**
 * @param {string} url
 * @param {RequestInit} [init]
 * @returns {Promise<unknown>}
 */
async function hook(url, init) {
  const response = await fetch(url, init)
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${response.status}`)
  return response.json()
}

/** @param {string} url @param {unknown} [body] */
const post = (url, body) => hook(url, { method: 'POST', ...(body !== undefined && { body: JSON.stringify(body) }) })

/** An access-token lifetime short enough to reach expiry in a test: the SDK refreshes at half of it. */
export const SHORT_TOKEN_TTL_SECONDS = 4

/** Every token value the provider's token endpoint has issued so far: the values to look for. */
export async function issuedTokens() {
  return /** @type {IssuedTokens} */ (await hook(`${demo.issuer}/__test/tokens`))
}

/**
 * How long the access token the provider issued last lives, from its own `iat` and `exp`: the
 * lifetime the SDK schedules its refresh by.
 */
export async function lastAccessTokenLifetimeMs() {
  const token = (await issuedTokens()).access.at(-1)
  if (!token) throw new Error('no access token was issued')
  const { iat, exp } = decodeJwt(token)
  if (iat === undefined || exp === undefined) throw new Error('the access token has no iat or exp')
  return (exp - iat) * 1000
}

export async function providerCounters() {
  return /** @type {Counters} */ (await hook(`${demo.issuer}/__test/counters`))
}

/**
 * What a server of the demo saw: whether each request carried `Authorization` or `DPoP`.
 *
 * @param {string} origin
 */
export async function requestLog(origin) {
  return /** @type {LoggedRequest[]} */ (await hook(`${origin}/__log`))
}

/** @param {string} origin */
export async function clearRequestLog(origin) {
  await fetch(`${origin}/__log/clear`, { method: 'POST' })
}

/**
 * Changes the running provider's settings; returns them all.
 *
 * @param {Partial<ProviderSettings>} [changes]
 */
export async function providerSettings(changes = {}) {
  return /** @type {ProviderSettings} */ (await post(`${demo.issuer}/__test/settings`, changes))
}

/**
 * Changes the running API's settings; returns them all.
 *
 * @param {Partial<ApiSettings>} [changes]
 */
export async function apiSettings(changes = {}) {
  return /** @type {ApiSettings} */ (await post(`${demo.apiOrigin}/__settings`, changes))
}

/**
 * Publishes every access token issued so far as revoked: an API with `checkRevocation` then
 * refuses them (`invalid_token`).
 */
export async function revokeIssuedAccessTokens() {
  await post(`${demo.issuer}/__test/revoke-access`)
}

/** Destroys every refresh token issued so far at the provider. */
export async function revokeIssuedRefreshTokens() {
  await post(`${demo.issuer}/__test/revoke-refresh`)
}

/** The defaults every test starts from. */
export async function resetServers() {
  await providerSettings({ accessTokenTtl: 600, requireDpopNonce: false, tokenEndpoint: 'up', requirePar: false })
  await apiSettings({ requireDpopNonce: false, checkRevocation: false })
  await post(`${demo.issuer}/__test/reset`)
}
