// @ts-check
/**
 * Verification of the provider's JWT access tokens (RFC 9068) against keys found through
 * OpenID Provider discovery, plus the demo's optional revocation list.
 */
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose'
import { AuthError } from './errors.js'

/** Algorithms the provider may sign access tokens with (never `none`, never HMAC). */
const ACCESS_TOKEN_ALGS = ['ES256', 'PS256', 'RS256', 'EdDSA', 'Ed25519']

/**
 * @typedef {object} AccessTokenClaims
 * @property {string} sub
 * @property {string} client_id
 * @property {string} jti
 * @property {string | undefined} scope
 * @property {string | undefined} jkt `cnf.jkt`: set when the token is DPoP-bound (RFC 9449 §6.1)
 * @property {string | undefined} acr how the user authenticated (RFC 9068 §2.2.1)
 * @property {number | undefined} auth_time when the user authenticated, epoch seconds (RFC 9068 §2.2.1)
 */

/**
 * @param {object} options
 * @param {string} options.issuer the provider's issuer identifier
 * @param {string} options.audience this API's origin, the `aud` its tokens carry
 * @param {{ checkRevocation: boolean }} options.settings `checkRevocation`: also refuse jtis the provider's
 *   test hooks list as revoked
 * @returns {(token: string, scheme: 'DPoP' | 'Bearer') => Promise<AccessTokenClaims>}
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4
 */
export function createAccessTokenVerifier({ issuer, audience, settings }) {
  const keys = lazyJwks(issuer)

  return async function verifyAccessToken(token, scheme) {
    let payload
    try {
      // RFC 9068 §4: typ at+jwt, the expected iss and aud, a signature by the issuer's key.
      ;({ payload } = await jwtVerify(token, await keys(), {
        issuer,
        audience,
        typ: 'at+jwt',
        algorithms: ACCESS_TOKEN_ALGS,
        requiredClaims: ['exp', 'iat', 'jti', 'sub', 'client_id'],
      }))
    } catch (cause) {
      throw verificationFailure(cause, scheme)
    }
    if (settings.checkRevocation && (await revokedJtis(issuer, scheme)).has(String(payload.jti))) {
      throw new AuthError('invalid_token', 'access token revoked', { scheme })
    }
    const cnf = /** @type {{ jkt?: unknown } | undefined} */ (payload.cnf)
    return {
      sub: String(payload.sub),
      client_id: String(payload.client_id),
      jti: String(payload.jti),
      scope: typeof payload.scope === 'string' ? payload.scope : undefined,
      jkt: typeof cnf?.jkt === 'string' ? cnf.jkt : undefined,
      acr: typeof payload.acr === 'string' ? payload.acr : undefined,
      auth_time: typeof payload.auth_time === 'number' ? payload.auth_time : undefined,
    }
  }
}

/**
 * Discovers `jwks_uri` on first use rather than at start, so the API may start before the provider;
 * a failed discovery is retried by the next request.
 *
 * @param {string} issuer
 */
function lazyJwks(issuer) {
  /** @type {Promise<ReturnType<typeof createRemoteJWKSet>> | undefined} */
  let pending
  return () => {
    pending ??= discoverJwks(issuer).catch((cause) => {
      pending = undefined
      throw new AuthError('temporarily_unavailable', 'provider discovery failed', { cause })
    })
    return pending
  }
}

/** @param {string} issuer */
async function discoverJwks(issuer) {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`)
  if (!response.ok) throw new Error(`discovery answered ${response.status}`)
  const metadata = /** @type {{ issuer?: unknown, jwks_uri?: unknown }} */ (await response.json())
  // OpenID Connect Discovery §4.3: the document must name the issuer it was fetched for.
  if (metadata.issuer !== issuer) throw new Error('discovery issuer mismatch')
  if (typeof metadata.jwks_uri !== 'string') throw new Error('discovery has no jwks_uri')
  return createRemoteJWKSet(new URL(metadata.jwks_uri))
}

/**
 * @param {unknown} cause
 * @param {'DPoP' | 'Bearer'} scheme
 */
function verificationFailure(cause, scheme) {
  if (cause instanceof AuthError) return cause
  // A JOSE error is the token's fault; anything else (network, timeout) is ours.
  if (cause instanceof joseErrors.JOSEError && !(cause instanceof joseErrors.JWKSTimeout)) {
    return new AuthError('invalid_token', 'access token failed verification', { scheme, cause })
  }
  return new AuthError('temporarily_unavailable', 'could not fetch the provider keys', { scheme, cause })
}

/**
 * The provider's test hook listing revoked access token jtis; fetched per request, fine for a demo.
 *
 * @param {string} issuer
 * @param {'DPoP' | 'Bearer'} scheme
 * @returns {Promise<Set<string>>}
 */
async function revokedJtis(issuer, scheme) {
  try {
    const response = await fetch(`${issuer}/__test/revoked-jtis`)
    if (!response.ok) throw new Error(`revoked-jtis answered ${response.status}`)
    return new Set(/** @type {string[]} */ (await response.json()))
  } catch (cause) {
    // Fail closed: without the list the API cannot tell whether the token was revoked.
    throw new AuthError('temporarily_unavailable', 'revocation list unavailable', { scheme, cause })
  }
}
