// @ts-check
/**
 * @typedef {'missing_credentials' | 'invalid_token' | 'use_dpop_nonce' | 'temporarily_unavailable'} AuthErrorCode
 *   `missing_credentials` (no Authorization header) answers 401 without an error code
 *   (RFC 6750 §3.1); `temporarily_unavailable` means the API could not reach the provider.
 */

/** Why a request to a protected route was refused. Carries a description, never a token. */
export class AuthError extends Error {
  /**
   * @param {AuthErrorCode} code
   * @param {string} description
   * @param {{ scheme?: 'DPoP' | 'Bearer', cause?: unknown }} [context] the scheme the request used
   */
  constructor(code, description, { scheme = 'DPoP', cause } = {}) {
    super(description, { cause })
    this.name = 'AuthError'
    /** @readonly */
    this.code = code
    /** @readonly */
    this.scheme = scheme
  }
}
