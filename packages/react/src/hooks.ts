import { AuthError, type AuthClient } from '@oauth-enclave/client'
import { useContext } from 'react'
import { AuthContext, type AuthContextValue } from './auth-context.js'

/**
 * The session and the login and logout actions of the nearest {@link AuthProvider}.
 *
 * @example
 * ```tsx
 * function Account() {
 *   const { isLoading, isAuthenticated, user, login, logout } = useAuth()
 *   if (isLoading) return null
 *   if (!isAuthenticated) return <button onClick={() => login()}>Log in</button>
 *   return <button onClick={() => logout()}>Log out {user?.name as string}</button>
 * }
 * ```
 *
 * @throws AuthError `config_error` outside an {@link AuthProvider}.
 * @see RFC 6749 §4.1 (Authorization Code Grant), OpenID Connect RP-Initiated Logout 1.0 §2
 */
export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext)
  if (value === null) throw new AuthError('config_error', 'useAuth() needs an <AuthProvider> above it')
  return value
}

/**
 * The client's `fetch`: credentials are attached in the worker, for allowed targets only. Stable
 * across renders, so it can be an effect dependency (given a factory, {@link AuthProvider} has its
 * client only after the first render: the function changes once then).
 *
 * @throws AuthError `config_error` outside an {@link AuthProvider}.
 * @see RFC 9449 §7 (DPoP-bound access tokens), RFC 6750 §2.1 (Bearer)
 */
export function useAuthFetch(): AuthClient['fetch'] {
  return useAuth().client.fetch
}
