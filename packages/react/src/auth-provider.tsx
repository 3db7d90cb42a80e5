import { isAuthError, type AuthClient, type AuthState, type RedirectResult } from '@oauth-enclave/client'
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { AuthContext, type AuthContextValue } from './auth-context.js'
import { clientOf, PENDING_CLIENT, type AuthClientSource } from './client-factory.js'
import { callbackRun } from './redirect-callback.js'

/**
 * Props of {@link AuthProvider}.
 *
 * @see RFC 6749 §4.1.2 (the authorization response `onRedirectCallback` follows)
 */
export interface AuthProviderProps {
  /**
   * The client from `createAuthClient`, created once outside any component; or, for an app rendered
   * on the server too (Next.js, a prerender), a function that creates it, defined outside any
   * component. The provider calls the function in the browser only, after the first render, once
   * per function for the page's life; until then it renders the loading state (`isLoading` true),
   * on the server and while hydrating alike.
   */
  readonly client: AuthClientSource
  /**
   * Called once after this page load's redirect callback succeeded, to go to `returnTo` with the
   * app's router; also after one that failed where the login it answered had a `returnTo` (such
   * as a `restore()` the provider could not satisfy), with `user` `null` and the failure in
   * `error`. Default: `history.replaceState` to `returnTo`, when there is one.
   */
  readonly onRedirectCallback?: (result: RedirectResult) => void
  /** The app, or the part of it that uses {@link useAuth}. */
  readonly children?: ReactNode
}

function replaceWithReturnTo({ returnTo }: RedirectResult): void {
  if (returnTo !== null) history.replaceState(history.state, '', returnTo)
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value))
}

/**
 * Provides {@link useAuth} to its children. On mount it completes a redirect callback in the
 * address bar, if there is one: once per page load however often React runs the effect
 * (StrictMode), and it calls `onRedirectCallback` once.
 *
 * @see RFC 6749 §4.1.2 (the authorization response), RFC 9700 §4.2.4 (the code leaves the address bar)
 */
export function AuthProvider({ client: source, onRedirectCallback, children }: AuthProviderProps): ReactNode {
  // Effects never run on the server: the factory is called in the browser only, and the first
  // render in the browser matches the server's (loading) for hydration.
  const [created, setCreated] = useState<AuthClient | null>(null)
  useEffect(() => {
    if (typeof source === 'function') setCreated(clientOf(source))
  }, [source])
  const client = typeof source === 'function' ? (created ?? PENDING_CLIENT) : source
  const [state, setState] = useState<AuthState | null>(null)
  const [isLoading, setLoading] = useState(true)
  const [error, setError] = useState<Error | null>(null)
  // The latest callback without making it an effect dependency: a new arrow each render must not
  // handle the redirect again.
  const onRedirect = useRef(onRedirectCallback)
  onRedirect.current = onRedirectCallback

  useEffect(() => {
    if (client === PENDING_CLIENT) return
    let active = true
    setLoading(true)
    setError(null)
    const unsubscribe = client.subscribe((next) => {
      if (active) setState(next)
    })
    void (async () => {
      try {
        if (client.isRedirectCallback()) {
          const run = callbackRun(client, location.href)
          const result = await run.result
          if (active && run.claim()) (onRedirect.current ?? replaceWithReturnTo)(result)
        }
        const current = await client.getState()
        if (active) setState(current)
      } catch (thrown) {
        // Back where the login started (a `restore()` that needs the user, say), the error in `error`.
        if (active && isAuthError(thrown) && thrown.returnTo !== undefined) {
          ;(onRedirect.current ?? replaceWithReturnTo)({ returnTo: thrown.returnTo, user: null })
        }
        if (active) setError(asError(thrown))
      } finally {
        if (active) setLoading(false)
      }
    })()
    return () => {
      active = false
      unsubscribe()
    }
  }, [client])

  const value = useMemo<AuthContextValue>(
    () => ({
      state,
      isLoading,
      isAuthenticated: state?.authenticated ?? false,
      user: state?.user ?? null,
      error,
      login: client.login,
      loginWithPopup: client.loginWithPopup,
      restore: (options) => client.login({ ...options, prompt: 'none', returnTo: options?.returnTo ?? location.href }),
      logout: client.logout,
      client,
    }),
    [client, state, isLoading, error],
  )
  return <AuthContext value={value}>{children}</AuthContext>
}
