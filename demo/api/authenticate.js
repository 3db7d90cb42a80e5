// @ts-check
/**
 * Who is calling: the access token from `Authorization: DPoP|Bearer`, and for DPoP-bound tokens the
 * proof of possession (RFC 9449 §7), including this API's own nonces and replay detection.
 */
import { createAccessTokenVerifier } from './access-token.js'
import { createDpopNonces } from './dpop-nonce.js'
import { IAT_WINDOW_SECONDS, verifyDpopProof } from './dpop-proof.js'
import { AuthError } from './errors.js'
import { createReplayCache } from './replay-cache.js'

/**
 * @typedef {object} Principal
 * @property {string} sub
 * @property {string | null} scope
 * @property {string} client_id
 * @property {'DPoP' | 'Bearer'} tokenType the scheme the token was presented with
 * @property {string | null} jkt the key the token is bound to, if any
 * @property {string} audience the audience the token was checked for: which API it is for
 * @property {string | null} acr the authentication context class the token names (RFC 9068 §2.2.1)
 * @property {number | null} authTime when the user authenticated, epoch seconds, if the token says
 */

/**
 * @param {object} options
 * @param {string} options.issuer
 * @param {string} options.origin this API's origin: the base of `htu`
 * @param {string} [options.audience] the `aud` its tokens must carry (default: `origin`)
 * @param {boolean} [options.dpop] `false`: an API that does not know DPoP: Bearer only, `cnf`
 *   ignored (default true)
 * @param {{ requireDpopNonce: boolean, checkRevocation: boolean }} options.settings live settings:
 *   tests may change them while the API runs (`POST /__settings`)
 */
export function createAuthenticator({ issuer, origin, audience = origin, dpop = true, settings }) {
  const verifyAccessToken = createAccessTokenVerifier({ issuer, audience, settings })
  const allNonces = createDpopNonces()
  const nonces = {
    accepts: (/** @type {unknown} */ nonce) => !settings.requireDpopNonce || allNonces.accepts(nonce),
    current: () => (settings.requireDpopNonce ? allNonces.current() : undefined),
  }
  // A proof stays acceptable for ±IAT_WINDOW_SECONDS around its iat, so remember it twice that long.
  const replay = createReplayCache({ ttlMs: 2 * IAT_WINDOW_SECONDS * 1000 })

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {string} path the request path without query
   * @returns {Promise<Principal>}
   * @throws {AuthError}
   */
  async function authenticate(req, path) {
    const { scheme, token } = parseAuthorization(req.headers.authorization)
    if (!dpop && scheme === 'DPoP') throw new AuthError('missing_credentials', 'this API takes Bearer tokens only')
    const claims = await verifyAccessToken(token, scheme)
    const principal = {
      sub: claims.sub,
      scope: claims.scope ?? null,
      client_id: claims.client_id,
      tokenType: scheme,
      jkt: claims.jkt ?? null,
      audience,
      acr: claims.acr ?? null,
      authTime: claims.auth_time ?? null,
    }

    if (scheme === 'Bearer') {
      // RFC 9449 §7.2: a DPoP-bound token must not be accepted as a bearer token, by an API that
      // knows DPoP; one that does not (`dpop: false`) ignores `cnf`, as APIs from before DPoP do.
      if (claims.jkt && dpop) throw new AuthError('invalid_token', 'DPoP-bound access token sent as Bearer', { scheme })
      return principal
    }

    if (!claims.jkt) throw new AuthError('invalid_token', 'access token is not DPoP-bound', { scheme })
    const proof = req.headers.dpop
    if (typeof proof !== 'string' || !proof) throw new AuthError('invalid_token', 'DPoP proof missing', { scheme })

    const verified = await verifyDpopProof({
      proof,
      method: req.method ?? 'GET',
      // Built from our own origin, never from Host: the proof must name this server.
      url: `${origin}${path}`,
      accessToken: token,
      jkt: claims.jkt,
    })
    // RFC 9449 §9: this server's nonce. Checked before the jti is recorded; the retry brings a new proof anyway.
    if (!nonces.accepts(verified.nonce)) {
      throw new AuthError('use_dpop_nonce', 'Resource server requires nonce in DPoP proof', { scheme })
    }
    // RFC 9449 §11.1: each proof once.
    if (!replay.claim(`${claims.jkt}:${verified.jti}`)) {
      throw new AuthError('invalid_token', 'DPoP proof replayed', { scheme })
    }
    return principal
  }

  return {
    authenticate,
    /** The nonce to hand out with every response, when nonces are required. */
    currentNonce: () => nonces.current(),
  }
}

/**
 * @param {string | undefined} header
 * @returns {{ scheme: 'DPoP' | 'Bearer', token: string }}
 * @throws {AuthError} `missing_credentials` for no header or a scheme this API does not take,
 *   `invalid_token` for a malformed token
 */
function parseAuthorization(header) {
  const [rawScheme = '', ...rest] = (header ?? '').trim().split(/ +/)
  // RFC 9110 §11.1: auth schemes are case-insensitive.
  const lower = rawScheme.toLowerCase()
  if (lower !== 'dpop' && lower !== 'bearer') {
    throw new AuthError('missing_credentials', 'no DPoP or Bearer access token')
  }
  const scheme = lower === 'dpop' ? 'DPoP' : 'Bearer'
  const token = rest.join(' ')
  // RFC 6750 §2.1 / RFC 9449 §7.1: the credentials are a single token68.
  if (!/^[\w\-.~+/]+=*$/.test(token)) throw new AuthError('invalid_token', 'malformed access token', { scheme })
  return { scheme, token }
}
