import * as oauth from 'oauth4webapi'
import { AuthError, type AuthErrorCode } from '../shared/errors'

/**
 * What a provider answers a `prompt=none` request it cannot satisfy without the user (OpenID
 * Connect Core §3.1.2.6): the app must sign the user in interactively.
 */
const INTERACTION_NEEDED = new Set([
  'login_required',
  'interaction_required',
  'consent_required',
  'account_selection_required',
])

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
 * RFC 9470 §3: a 401 whose challenge says `insufficient_user_authentication` means the API wants
 * a stronger (`acr_values`) or more recent (`max_age`) authentication, which only a new login
 * gives. As a `step_up_required` {@link AuthError} carrying both, ready for `login()`; `undefined`
 * for any other error.
 */
export function stepUpError(error: unknown): AuthError | undefined {
  if (!(error instanceof oauth.WWWAuthenticateChallengeError) || error.status !== 401) return undefined
  const challenge = error.cause.find((c) => c.parameters.error === 'insufficient_user_authentication')
  if (!challenge) return undefined
  const { acr_values: acrValues, max_age: maxAge } = challenge.parameters
  return new AuthError('step_up_required', 'the API asks for a stronger or more recent authentication', {
    status: 401,
    ...(acrValues && { acrValues }),
    // RFC 9470 §3: a non-negative integer; anything else is ignored rather than guessed at.
    ...(maxAge !== undefined && /^\d+$/.test(maxAge) && { maxAge: Number(maxAge) }),
  })
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
    const code = INTERACTION_NEEDED.has(error.error) ? 'login_required' : 'authorization_error'
    return new AuthError(code, `the provider refused the authorization: ${error.error}`, { oauthError: error.error })
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
    // An error status without an OAuth error body (RFC 6749 §5.2 not followed): its status is kept.
    const status = error.cause instanceof Response && !error.cause.ok ? error.cause.status : undefined
    return new AuthError(code, `${step}: ${error.message}`, status === undefined ? {} : { status })
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
