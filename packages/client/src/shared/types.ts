import type { AuthErrorCode } from './errors'

/**
 * Validated ID token claims. Never a token.
 *
 * @see OpenID Connect Core 1.0 §2 (ID Token), §5.1 (Standard Claims)
 */
export interface UserClaims {
  /** The subject: the user's identifier at the issuer. */
  readonly sub: string
  readonly [claim: string]: unknown
}

/**
 * Where the session lives between page loads.
 *
 * @see draft-ietf-oauth-browser-based-apps §8.3 (tokens held in a Web Worker), §8.6 (what a
 *   non-extractable key does not protect at rest)
 */
export type Persistence = 'indexeddb' | 'memory'

/**
 * What the page may know about the session: whether there is one, who, and until when the current
 * access token is valid. Never a token.
 *
 * @see RFC 6749 §5.1 (`expires_in`, `token_type`), RFC 9449 §5 (the `DPoP` token type)
 */
export interface AuthState {
  /** Whether there is a session with usable tokens. */
  readonly authenticated: boolean
  /** The validated ID token claims of the session, or `null`. */
  readonly user: UserClaims | null
  /** Epoch milliseconds at which the current access token expires, by the local clock. */
  readonly expiresAt: number | null
  /** Why the state changed, when it was not the user's own doing. */
  readonly reason?: AuthErrorCode
  /** `'DPoP'` when tokens are sender-constrained (RFC 9449), `'Bearer'` otherwise. */
  readonly tokenType?: 'DPoP' | 'Bearer' | null
  /** The persistence in effect: `'memory'` when IndexedDB is unavailable, whatever was asked. */
  readonly persistence?: Persistence
  /**
   * With `idleTimeoutSeconds`: the warning while it lasts, `null` otherwise. A state comes when it
   * starts and when activity in any tab cancels it, not every second: count down from `expiresAt`.
   */
  readonly idleWarning?: IdleWarning | null
}

/**
 * The session is about to end for want of user activity (`idleTimeoutSeconds`): it ends at
 * `expiresAt` unless the user is active in some tab of the app first.
 */
export interface IdleWarning {
  /** Epoch milliseconds at which the session ends, by the local clock. */
  readonly expiresAt: number
  /** Whole seconds left when the warning started. */
  readonly secondsLeft: number
}

/**
 * Options of {@link createAuthClient}.
 *
 * @see RFC 6749 §2.1 (public clients), §3.1.2 (redirection endpoint), RFC 8414 §3.3 (issuer),
 *   RFC 9449 (DPoP), OpenID Connect RP-Initiated Logout 1.0 §3
 */
export interface AuthClientOptions {
  /**
   * The issuer identifier. Metadata comes from `/.well-known/openid-configuration`, falling back to
   * `/.well-known/oauth-authorization-server`; its `issuer` must equal this value (RFC 8414 §3.3).
   */
  issuer: string
  /** A public client: token endpoint authentication `none` (RFC 6749 §2.1). */
  clientId: string
  /** Absolute URL on the page's own origin, registered at the provider (RFC 6749 §3.1.2). */
  redirectUri: string
  /** Requested scope; default `'openid'`. */
  scope?: string
  /** Where the provider sends the user after logout (OpenID Connect RP-Initiated Logout §3). */
  postLogoutRedirectUri?: string
  /**
   * Where `fetch` attaches credentials: origins (`https://api.example.com`) or an origin plus a
   * path prefix (`https://api.example.com/v1/`), which get the session's access token, or
   * {@link ApiOptions} for an API with a token of its own. The most specific matching entry wins
   * (the longest path). Anything else goes out with no credentials.
   */
  allowedOrigins?: (string | ApiOptions)[]
  /**
   * Sender-constrained tokens (RFC 9449). Default: on when the metadata lists
   * `dpop_signing_alg_values_supported`.
   */
  dpop?: boolean
  /** `'indexeddb'` (default): encrypted, survives reloads. `'memory'`: worker memory only. */
  persistence?: Persistence
  /** Refresh this many seconds before the access token expires; default 30. */
  refreshLeewaySeconds?: number
  /**
   * How long a request to the provider (discovery, token, revocation) may wait for an answer before
   * it fails with `network_error`, in milliseconds; default 30000.
   */
  providerTimeoutMs?: number
  /**
   * Script URLs of service workers allowed to control the page. A service worker sits in front of
   * the SDK's worker: it sees every token response and could serve another worker script. So the
   * client refuses to start (`config_error`) under any service worker not listed here. Default:
   * none. List a PWA's own service worker only if it never reads or caches what passes through it.
   */
  dangerouslyAllowServiceWorkers?: string[]
  /**
   * Pushed authorization requests (RFC 9126): the worker sends the authorization request to the
   * provider directly, with a DPoP proof when DPoP is on (RFC 9449 §10.1), and the browser goes to
   * the provider with only `client_id` and `request_uri`. Default: on when the metadata lists
   * `pushed_authorization_request_endpoint`. `true` without that endpoint, or `false` at a provider
   * that sets `require_pushed_authorization_requests`, is a `config_error`.
   */
  par?: boolean
  /**
   * RFC 8707 resource indicators: the authorization request carries one `resource` parameter per
   * value (RFC 8707 §2.1), pushed too with PAR. Absolute URIs without a fragment. A login's own
   * `resource` replaces these. Default: none.
   */
  resource?: string | string[]
  /**
   * Ends the session in every tab, with `reason: 'idle_timeout'` and its tokens revoked as at
   * logout, after this many seconds without user activity in any tab of the app (README, "Idle
   * timeout", says what counts). Default: off.
   */
  idleTimeoutSeconds?: number
  /**
   * How long before the idle timeout {@link AuthState.idleWarning} starts; below
   * `idleTimeoutSeconds`, `0` for none. Default: 60, at most half the timeout.
   */
  idleWarningSeconds?: number
  /**
   * The worker to use instead of the package's own: a `Worker`, or a function that makes one (called
   * again if the worker dies). For pinned mode, a worker file of the app's that calls
   * `serveAuthWorker` from `@oauth-enclave/client/worker`:
   * `worker: () => new Worker(new URL('./auth.worker.ts', import.meta.url), { type: 'module' })`,
   * in that literal form, which bundlers recognise.
   */
  worker?: Worker | (() => Worker)
}

/**
 * An API with an access token of its own (an `allowedOrigins` entry): the worker obtains it with a
 * `refresh_token` grant (RFC 6749 §6) carrying `scope`, `resource` and `tokenParams` the first time
 * a request needs it, then keeps, refreshes, persists and revokes it like the session's own token.
 * For providers that issue one token per audience: Microsoft Entra ID (`scope: 'api://…/.default'`),
 * Auth0 (`tokenParams: { audience }`), Okta custom authorization servers, RFC 8707 resource indicators.
 *
 * @example
 * ```ts
 * allowedOrigins: [
 *   { url: 'https://graph.microsoft.com/v1.0/', scope: 'https://graph.microsoft.com/User.Read' },
 *   { url: 'https://api.example.com', resource: 'https://api.example.com/' },
 * ]
 * ```
 * @see RFC 8707 §2 (resource indicators at the token endpoint), RFC 9449 §5 (DPoP at the token endpoint)
 */
export interface ApiOptions {
  /** Where this API's token is sent: an origin, or an origin plus a path prefix, as strings are. */
  url: string
  /** The scope asked for this API's token (RFC 6749 §6: within what the login granted). */
  scope?: string
  /** RFC 8707 resource indicators, absolute URIs: each sent as a `resource` parameter. */
  resource?: string | string[]
  /** More token request parameters, such as Auth0's `audience`. */
  tokenParams?: Record<string, string>
  /**
   * `false`: the token is sent as `Authorization: Bearer`, for an API that does not understand DPoP.
   * A provider that binds the refresh token to the DPoP key (RFC 9449 §5: public clients) still
   * gets a proof with the grant and may bind this token too; an API that ignores `cnf` accepts it,
   * one that checks DPoP refuses it (RFC 9449 §7.2). Default: as the session.
   */
  dpop?: boolean
}

/**
 * Options of `serveAuthWorker`: the configuration a pinned worker fixes in its own code. The page's
 * options must then agree with it, option by option.
 */
export type AuthWorkerOptions = Omit<AuthClientOptions, 'worker'>

/**
 * Options of {@link AuthClient.login}.
 *
 * @see RFC 6749 §4.1.1 (authorization request), OpenID Connect Core 1.0 §3.1.2.1 (`prompt`, `login_hint`)
 */
export interface LoginOptions {
  /** A URL on the page's origin to return to after the callback. */
  returnTo?: string
  /**
   * Extra authorization request parameters such as `prompt` or `login_hint`. Not those the SDK sets
   * or checks (`state`, `nonce`, PKCE, `redirect_uri`, `acr_values`, `max_age`, `resource`…): a
   * `config_error`.
   */
  extraParams?: Record<string, string>
  /**
   * `acr_values` (OpenID Connect Core §3.1.2.1): the authentication context classes wanted,
   * space-separated, most preferred first; a `step_up_required` error's `acrValues` (RFC 9470 §4).
   * The ID token's `acr` must be one of them, or the callback rejects with `invalid_id_token`.
   * Needs the `openid` scope.
   */
  acrValues?: string
  /**
   * `max_age` in seconds (OpenID Connect Core §3.1.2.1): the provider re-authenticates a user who
   * authenticated longer ago; a `step_up_required` error's `maxAge` (RFC 9470 §4). The ID token's
   * `auth_time` must honour it, or the callback rejects with `invalid_id_token`. Needs the `openid` scope.
   */
  maxAge?: number
  /**
   * RFC 8707 resource indicators for this login, one `resource` parameter each (§2.1); replaces the
   * client's `resource` option.
   */
  resource?: string | string[]
  /**
   * `prompt` (OpenID Connect Core §3.1.2.1). `'none'` restores a session from the provider's own
   * without showing the user anything, in a top-level redirect, never a hidden iframe (third-party
   * cookies are blocked); where the provider needs the user, the callback rejects with
   * `login_required` and the provider's `oauthError` (§3.1.2.6) and `returnTo`. `'login'`,
   * `'consent'`, `'select_account'` as the provider supports them.
   */
  prompt?: 'none' | 'login' | 'consent' | 'select_account' | (string & {})
}

/**
 * Options of {@link AuthClient.loginWithPopup}: those of a redirect login, and the popup's own.
 *
 * @see OpenID Connect Core 1.0 §3.1.2.1 (`display=popup` is left to the app's `extraParams`)
 */
export interface PopupLoginOptions extends LoginOptions {
  /**
   * How long to wait for the popup's answer, in seconds, before rejecting with `popup_closed`;
   * default 120. Where the provider sends `Cross-Origin-Opener-Policy`, the browser reports the
   * popup as closed while it shows the provider's pages, so a closed popup is known only by this.
   */
  timeoutSeconds?: number
  /** Aborts the login (a "Cancel" button): the popup closes, the call rejects with the signal's reason. */
  signal?: AbortSignal
}

/**
 * Options of {@link AuthClient.logout}.
 *
 * @see OpenID Connect RP-Initiated Logout 1.0 §2, §3
 */
export interface LogoutOptions {
  /** Where to land after logout when the provider has no end-session endpoint. */
  returnTo?: string
  /**
   * Sends the session's **ID token** as `id_token_hint` to the end-session endpoint (§2), for
   * providers that require it (Okta) or ask the user to confirm without it (Keycloak). The trade-off:
   * the ID token then crosses the page, in the URL it navigates to, and lands in the provider's logs
   * and the browser history. Never an access or a refresh token. Default: `false` (only `client_id`).
   */
  idTokenHint?: boolean
}

/**
 * What {@link AuthClient.logout} resolves with: what came of revoking the session's tokens at the
 * provider (RFC 7009). The session is erased in every tab whatever this says.
 *
 * @see RFC 7009 §2.1, §2.2.1; RFC 8414 §2 (`revocation_endpoint_auth_methods_supported`)
 */
export interface LogoutResult {
  /**
   * - `revoked`: the provider confirmed the refresh token's revocation (or, without one, the
   *   access token's). Access tokens it answers `unsupported_token_type` for end at their expiry.
   * - `not_supported`: the provider has no revocation endpoint, or lists
   *   `revocation_endpoint_auth_methods_supported` without `none` (public clients may not revoke):
   *   nothing was sent, and the tokens stay valid at the provider until they expire.
   * - `failed`: the provider refused or could not be reached; {@link LogoutResult.failure} says how.
   *   The tokens may stay valid at the provider until they expire.
   * - `no_session`: there was no session to revoke.
   */
  revocation: 'revoked' | 'not_supported' | 'failed' | 'no_session'
  /** With `failed`: the first refusal. */
  failure?: LogoutFailure
}

/** Why a revocation failed, as plain data: never a token, never the provider's free text. */
export interface LogoutFailure {
  /** `network_error` when the provider could not be reached, otherwise how its answer was refused. */
  code: AuthErrorCode
  /** The HTTP status of the provider's answer, if there was one. */
  status?: number
  /** The provider's OAuth `error` (RFC 7009 §2.2.1, RFC 6749 §5.2), e.g. `invalid_client`. */
  oauthError?: string
}

/**
 * What {@link AuthClient.handleRedirectCallback} resolves to.
 *
 * @see RFC 6749 §4.1.2 (authorization response), OpenID Connect Core 1.0 §3.1.3.7 (ID token validation)
 */
export interface RedirectResult {
  /** The `returnTo` given to {@link AuthClient.login}, or `null`. */
  returnTo: string | null
  /** The validated ID token claims of the new session, or `null`. */
  user: UserClaims | null
}

/**
 * The client a page uses. Every member is bound: destructuring works.
 *
 * @see RFC 6749 §4.1 (Authorization Code Grant), RFC 7636 (PKCE), RFC 9449 (DPoP), RFC 7009 (revocation)
 */
export interface AuthClient {
  /** Starts the Authorization Code flow with PKCE (RFC 7636) and navigates to the provider. */
  login(options?: LoginOptions): Promise<void>
  /** Whether `url` is the redirect URI carrying `code` and `state`, or `error`. */
  isRedirectCallback(url?: string): boolean
  /**
   * Signs in in a popup window; the page stays as it is. Call it in a click or key handler: the
   * window opens at once. The popup returns to `redirectUri`, whose page runs the app's usual
   * `handleRedirectCallback`, which hands the response to this tab over a `BroadcastChannel` and
   * closes the popup: it works under `Cross-Origin-Opener-Policy`, without `window.opener`.
   * Resolves once this tab holds the session.
   *
   * @throws AuthError `popup_blocked`, `popup_closed`, or what the callback rejects with.
   */
  loginWithPopup(options?: PopupLoginOptions): Promise<RedirectResult>
  /**
   * Validates the authorization response, exchanges the code and stores the session. In a popup
   * of {@link AuthClient.loginWithPopup}, hands the response to the tab that opened it and closes
   * the popup, resolving with `returnTo` and `user` `null`.
   */
  handleRedirectCallback(url?: string): Promise<RedirectResult>
  /** Whether a usable session exists (restored from storage after a reload). */
  isAuthenticated(): Promise<boolean>
  /** The validated ID token claims, or `null`. */
  getUser(): Promise<UserClaims | null>
  /** The current {@link AuthState}. */
  getState(): Promise<AuthState>
  /** A drop-in `fetch` that attaches credentials in the worker, only for allowed targets. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>
  /**
   * Erases the session in every tab, revokes its tokens and navigates to the provider's logout;
   * resolves with what came of the revocation, as the navigation starts.
   */
  logout(options?: LogoutOptions): Promise<LogoutResult>
  /** Called on every change of {@link AuthState}; returns the unsubscribe function. */
  subscribe(listener: (state: AuthState) => void): () => void
  /** Terminates the worker. */
  close(): void
}
