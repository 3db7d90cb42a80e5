import type { AuthClient, AuthState, LoginOptions, UserClaims } from '@oauth-enclave/client'
import { createContext } from 'react'

/**
 * What {@link useAuth} returns: the session as the page may know it (never a token) and the
 * client's actions.
 *
 * @see RFC 6749 §4.1 (Authorization Code Grant), OpenID Connect Core 1.0 §3.1
 */
export interface AuthContextValue {
  /** The latest {@link AuthState}; `null` while loading. */
  readonly state: AuthState | null
  /**
   * `true` until the first state is known and a redirect callback on this page load, if any, has
   * been handled.
   */
  readonly isLoading: boolean
  /** Whether there is a session with usable tokens. */
  readonly isAuthenticated: boolean
  /** The validated ID token claims, or `null`. */
  readonly user: UserClaims | null
  /** Why the redirect callback or reading the state failed (an `AuthError`), else `null`. */
  readonly error: Error | null
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
  /**
   * The client given to {@link AuthProvider}, or the one its factory created. Before the factory has
   * run (on the server, during hydration), a stand-in whose calls reject with a `config_error`.
   */
  readonly client: AuthClient
}

export const AuthContext = createContext<AuthContextValue | null>(null)
