/**
 * Every failure the SDK reports, as a closed set of codes. Narrow on `err.code`.
 *
 * - `config_error`: bad options or arguments.
 * - `invalid_state`: callback `state` missing, unknown, expired, or already used (RFC 6749 §10.12).
 * - `invalid_issuer`: RFC 9207 `iss` missing where the metadata requires it, or not the issuer.
 * - `authorization_error`: the provider redirected back with `error=` (RFC 6749 §4.1.2.1).
 * - `token_error`: the token endpoint answered with an OAuth error (RFC 6749 §5.2).
 * - `invalid_response`: a malformed or unexpected answer from the provider.
 * - `invalid_id_token`: ID token claims failed validation (OpenID Connect Core §3.1.3.7).
 * - `login_required`: no session, or it ended; or, after `login({ prompt: 'none' })`, the provider
 *   cannot sign the user in without them (`oauthError`: `login_required`, `interaction_required`,
 *   `consent_required`, `account_selection_required`; OpenID Connect Core §3.1.2.6).
 * - `idle_timeout`: never thrown; the `AuthState` `reason` of a session ended by the
 *   `idleTimeoutSeconds` option after that long without user activity in any tab. Calls afterwards
 *   reject with `login_required`, as after any session end.
 * - `step_up_required`: an allowed API wants a stronger or more recent authentication (RFC 9470 §3):
 *   the session is kept; `login({ acrValues, maxAge })` with the error's {@link AuthError.acrValues}
 *   and {@link AuthError.maxAge} gets it.
 * - `popup_blocked`: `loginWithPopup` could not open its window: call it in a click or key handler.
 * - `popup_closed`: no answer from the popup within its timeout: the user closed it or gave up, or
 *   the app aborted it.
 * - `network_error`: the provider could not be reached.
 * - `worker_error`: the worker could not start, or died and could not be restarted.
 *
 * @see RFC 6749 §4.1.2.1, §5.2 (OAuth error responses), RFC 9207 §2.4 (`iss` validation), RFC 9470 §3
 *   (`insufficient_user_authentication`)
 */
export const AUTH_ERROR_CODES = [
  'config_error',
  'invalid_state',
  'invalid_issuer',
  'authorization_error',
  'token_error',
  'invalid_response',
  'invalid_id_token',
  'login_required',
  'idle_timeout',
  'step_up_required',
  'popup_blocked',
  'popup_closed',
  'network_error',
  'worker_error',
] as const

/** One of {@link AUTH_ERROR_CODES}. */
export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number]

/** Extra context for an {@link AuthError}; never a token value. */
export interface AuthErrorDetails {
  /** The OAuth `error` value the provider sent (RFC 6749 §4.1.2.1, §5.2). */
  oauthError?: string
  /** The HTTP status of the provider's answer, where there was one. */
  status?: number
  /** `step_up_required`: the `acr_values` the API asked for, space-separated (RFC 9470 §3). */
  acrValues?: string
  /** `step_up_required`: the `max_age` the API asked for, in seconds (RFC 9470 §3). */
  maxAge?: number
  /** A failed callback: the `returnTo` of the login it answered. */
  returnTo?: string
}

/**
 * The only error class the SDK rejects with (besides the `AbortError` a plain `fetch` gives).
 * The same class and code reach the main thread as were thrown in the worker.
 *
 * @example
 * ```ts
 * try {
 *   await auth.handleRedirectCallback()
 * } catch (error) {
 *   if (error instanceof AuthError && error.code === 'authorization_error') {
 *     showMessage(`The sign-in was refused: ${error.oauthError}`) // e.g. access_denied
 *   } else throw error
 * }
 * ```
 *
 * @see RFC 6749 §5.2 (the provider's `error` becomes {@link AuthError.oauthError})
 */
export class AuthError extends Error {
  /** Always `'AuthError'`. */
  override readonly name = 'AuthError'
  /** What went wrong, from a closed set: narrow on it. */
  declare readonly code: AuthErrorCode
  /** The OAuth `error` value the provider sent, if it sent one. */
  declare readonly oauthError?: string
  /** The HTTP status of the provider's (or, for `step_up_required`, the API's) answer, if there was one. */
  declare readonly status?: number
  /**
   * `step_up_required`: the authentication context classes the API asked for, space-separated, as
   * `login({ acrValues })` takes them (RFC 9470 §3, OpenID Connect Core §3.1.2.1).
   */
  declare readonly acrValues?: string
  /**
   * `step_up_required`: the most seconds since the user last authenticated that the API accepts, as
   * `login({ maxAge })` takes them (RFC 9470 §3, OpenID Connect Core §3.1.2.1).
   */
  declare readonly maxAge?: number
  /**
   * A callback that failed after its login was found (such as `login_required` after
   * `login({ prompt: 'none' })`): the `returnTo` that login was given, to go back to.
   */
  declare readonly returnTo?: string

  /** @param details own properties of the error: give only those that have a value. */
  constructor(code: AuthErrorCode, message: string, details?: AuthErrorDetails) {
    super(message)
    this.code = code
    Object.assign(this, details)
  }
}

/**
 * Narrows `value` to an {@link AuthError}, optionally of one code.
 *
 * @example
 * ```ts
 * try {
 *   await auth.fetch('https://api.example.com/v1/orders')
 * } catch (error) {
 *   if (isAuthError(error, 'login_required')) await auth.login({ returnTo: location.href })
 *   else throw error
 * }
 * ```
 */
export function isAuthError(value: unknown, code?: AuthErrorCode): value is AuthError {
  return value instanceof AuthError && (code === undefined || value.code === code)
}
