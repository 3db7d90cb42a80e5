import * as oauth from 'oauth4webapi'
import { AuthError, type AuthErrorCode } from '../shared/errors'

const ID_TOKEN_CHECKS = new Set<string>([oauth.JWT_CLAIM_COMPARISON, oauth.JWT_TIMESTAMP_CHECK])

function hasClaims(cause: unknown): boolean {
  return typeof cause === 'object' && cause !== null && 'claims' in cause
}

/** The WWW-Authenticate `error` a challenge carried, e.g. `invalid_token` (RFC 6750 §3.1, RFC 9449 §7.1). */
export function challengeError(error: unknown): string | undefined {
  if (!(error instanceof oauth.WWWAuthenticateChallengeError)) return undefined
  return error.cause.find((challenge) => challenge.parameters.error)?.parameters.error
}

/**
 * Maps anything a protocol step threw to an {@link AuthError}. Only codes, statuses and our own
 * messages are kept: oauth4webapi's `cause` can hold a whole token response, so it is dropped.
 *
 * @param step names the step in the message, e.g. `'token request'`.
 */
export function toAuthError(error: unknown, step: string): AuthError {
  if (error instanceof AuthError) return error
  if (error instanceof oauth.ResponseBodyError) {
    return new AuthError('token_error', `${step}: the provider answered ${error.error}`, {
      oauthError: error.error,
      status: error.status,
    })
  }
  if (error instanceof oauth.AuthorizationResponseError) {
    return new AuthError('authorization_error', `the provider refused the authorization: ${error.error}`, {
      oauthError: error.error,
    })
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const oauthError = challengeError(error)
    return new AuthError('token_error', `${step}: the provider answered with a challenge`, {
      ...(oauthError !== undefined && { oauthError }),
      status: error.status,
    })
  }
  if (error instanceof oauth.UnsupportedOperationError) {
    return new AuthError('invalid_response', `${step}: unsupported response (${error.message})`)
  }
  if (error instanceof oauth.OperationProcessingError) {
    const code: AuthErrorCode =
      ID_TOKEN_CHECKS.has(error.code ?? '') || hasClaims(error.cause) ? 'invalid_id_token' : 'invalid_response'
    return new AuthError(code, `${step}: ${error.message}`)
  }
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new AuthError('network_error', `${step}: the provider did not answer in time`)
  }
  // A TypeError with a `code` is oauth4webapi refusing an argument or a response shape; a bare one
  // is fetch failing to reach the server.
  if (error instanceof TypeError) {
    return 'code' in error
      ? new AuthError('invalid_response', `${step}: ${error.message}`)
      : new AuthError('network_error', `${step}: the provider could not be reached`)
  }
  return new AuthError('invalid_response', `${step}: unexpected failure`)
}
