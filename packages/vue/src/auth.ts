import type { AuthClient, AuthState, IdleWarning, LoginOptions, UserClaims } from '@oauth-enclave/client'
import type { ComputedRef, InjectionKey } from 'vue'

/**
 * What {@link useAuth} returns and {@link createAuth} is: the session as the page may know it
 * (never a token), as read-only refs that stay reactive when destructured, and the client's actions.
 *
 * @see RFC 6749 §4.1 (Authorization Code Grant), OpenID Connect Core 1.0 §3.1
 */
export interface Auth {
  /** The latest {@link AuthState}; `null` while loading, and always on the server. */
  readonly state: ComputedRef<AuthState | null>
  /**
   * `true` until the first state is known and a redirect callback on this page load, if any, has
   * been handled. Always `true` on the server: the session is known in the browser only.
   */
  readonly isLoading: ComputedRef<boolean>
  /** Whether there is a session with usable tokens. */
  readonly isAuthenticated: ComputedRef<boolean>
  /** The validated ID token claims, or `null`. */
  readonly user: ComputedRef<UserClaims | null>
  /** Why the redirect callback or reading the state failed (an `AuthError`), else `null`. */
  readonly error: ComputedRef<Error | null>
  /** With `idleTimeoutSeconds`: the warning that the session is about to end, else `null`. */
  readonly idleWarning: ComputedRef<IdleWarning | null>
  /** The client, once created in the browser; `null` on the server. */
  readonly client: ComputedRef<AuthClient | null>
  /** `AuthClient.login`: starts the Authorization Code flow with PKCE and leaves the page. */
  readonly login: AuthClient['login']
  /**
   * `AuthClient.loginWithPopup`: signs in in a popup, the page stays; call it in a click handler.
   * Rejects with `popup_blocked` or `popup_closed` (`AuthError`).
   */
  readonly loginWithPopup: AuthClient['loginWithPopup']
  /**
   * Restores the session from the provider's own without showing the user anything:
   * `login({ prompt: 'none', returnTo: location.href })` (OpenID Connect Core §3.1.2.1), a top-level
   * redirect, no iframe. Where the provider needs the user, the page comes back to `returnTo` with
   * `error` a `login_required` `AuthError`: offer an interactive `login()` then, do not call
   * `restore()` again on that page load.
   */
  readonly restore: (options?: Omit<LoginOptions, 'prompt'>) => Promise<void>
  /** `AuthClient.logout`: revokes the tokens, erases the session and leaves the page. */
  readonly logout: AuthClient['logout']
  /** `AuthClient.fetch`: credentials are attached in the worker, for allowed targets only. */
  readonly fetch: AuthClient['fetch']
}

export const authKey: InjectionKey<Auth> = Symbol('oauth-enclave auth')
