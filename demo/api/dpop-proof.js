// @ts-check
/**
 * Stateless checks of a DPoP proof presented with a DPoP-bound access token at a resource server
 * (RFC 9449 §4.3 and §7.1). Nonces and replay need state: the caller checks them afterwards.
 */
import { createHash } from 'node:crypto'
import { EmbeddedJWK, calculateJwkThumbprint, jwtVerify } from 'jose'
import { AuthError } from './errors.js'

/** Proof algorithms this API accepts, also advertised in `WWW-Authenticate: DPoP algs="..."`. */
export const DPOP_ALGS = ['ES256']

/** How far a proof's `iat` may be from this server's clock, in seconds. */
export const IAT_WINDOW_SECONDS = 60

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']

/** @param {string} message */
const invalid = (message) => new AuthError('invalid_token', message, { scheme: 'DPoP' })

/**
 * @typedef {object} VerifiedProof
 * @property {string} jti for the caller's replay check
 * @property {string | undefined} nonce for the caller's nonce check
 */

/**
 * @param {object} input
 * @param {string} input.proof the `DPoP` request header
 * @param {string} input.method the request method
 * @param {string} input.url the request's absolute URL as this server knows it, without query
 * @param {string} input.accessToken the access token sent in `Authorization: DPoP`
 * @param {string} input.jkt the access token's `cnf.jkt`
 * @param {number} [input.now] current time in seconds
 * @returns {Promise<VerifiedProof>}
 * @throws {AuthError} `invalid_token`
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3
 */
export async function verifyDpopProof({ proof, method, url, accessToken, jkt, now = Date.now() / 1000 }) {
  let verified
  try {
    // RFC 9449 §4.3 (2-6): a JWT, typ dpop+jwt, an asymmetric alg we support, signed by its own jwk.
    verified = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: DPOP_ALGS })
  } catch (cause) {
    throw new AuthError('invalid_token', 'invalid DPoP proof', { scheme: 'DPoP', cause })
  }
  const { payload, protectedHeader } = verified
  const jwk = /** @type {Record<string, unknown>} */ (protectedHeader.jwk)

  // RFC 9449 §4.3 (7): the embedded key must be public.
  if (PRIVATE_JWK_MEMBERS.some((member) => member in jwk)) throw invalid('DPoP proof jwk is not a public key')

  if (typeof payload.jti !== 'string' || !payload.jti) throw invalid('DPoP proof jti missing')
  // RFC 9449 §4.3 (8)
  if (payload.htm !== method) throw invalid('DPoP proof htm mismatch')
  // RFC 9449 §4.3 (9): compare without query and fragment.
  if (withoutQuery(payload.htu) !== withoutQuery(url)) throw invalid('DPoP proof htu mismatch')
  // RFC 9449 §4.3 (11)
  if (typeof payload.iat !== 'number' || Math.abs(now - payload.iat) > IAT_WINDOW_SECONDS) {
    throw invalid('DPoP proof iat is not recent enough')
  }
  // RFC 9449 §4.3 (12): the proof is for this very access token...
  if (payload.ath !== sha256Base64url(accessToken)) throw invalid('DPoP proof ath mismatch')
  // ...and made with the key the token is bound to (RFC 9449 §6.1).
  if ((await calculateJwkThumbprint(jwk, 'sha256')) !== jkt) throw invalid('DPoP key binding mismatch')
  if (payload.nonce !== undefined && typeof payload.nonce !== 'string')
    throw invalid('DPoP proof nonce is not a string')

  return { jti: payload.jti, nonce: payload.nonce }
}

/** @param {string} value */
function sha256Base64url(value) {
  return createHash('sha256').update(value).digest('base64url')
}

/**
 * @param {unknown} value
 * @returns {string | undefined} the normalised URL without query and fragment
 */
function withoutQuery(value) {
  if (typeof value !== 'string') return undefined
  const url = URL.parse(value)
  if (!url) return undefined
  url.search = ''
  url.hash = ''
  return url.href
}
