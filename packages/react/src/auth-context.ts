import type { AuthClient, AuthState, UserClaims } from '@oauth-enclave/client'
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
  /** `AuthClient.logout`: revokes the tokens, erases the session and leaves the page. */
  readonly logout: AuthClient['logout']
  /** The client given to {@link AuthProvider}. */
  readonly client: AuthClient
}

export const AuthContext = createContext<AuthContextValue | null>(null)
