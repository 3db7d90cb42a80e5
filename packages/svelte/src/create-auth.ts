import type {
  AuthClient,
  AuthState,
  IdleWarning,
  LoginOptions,
  RedirectResult,
  UserClaims,
} from '@oauth-enclave/client'
import { createSubscriber } from 'svelte/reactivity'
import { isBrowser, lazyClient, noClientError, type AuthClientSource } from './client-source.js'
import { followClient } from './follow-client.js'

/**
 * What {@link createAuth} returns: the session as the page may know it (never a token), as
 * properties that are reactive wherever Svelte tracks reads (templates, `$derived`, `$effect`), and
 * the client's actions.
 *
 * @see RFC 6749 §4.1 (Authorization Code Grant), OpenID Connect Core 1.0 §3.1
 */
export interface Auth {
  /** The latest {@link AuthState}; `null` while loading, and always on the server. */
  readonly state: AuthState | null
  /**
   * `true` until the first state is known and a redirect callback on this page load, if any, has
   * been handled. Always `true` on the server: the session is known in the browser only.
   */
  readonly isLoading: boolean
  /** Whether there is a session with usable tokens. */
  readonly isAuthenticated: boolean
  /** The validated ID token claims, or `null`. */
  readonly user: UserClaims | null
  /** Why the redirect callback or reading the state failed (an `AuthError`), else `null`. */
  readonly error: Error | null
  /** With `idleTimeoutSeconds`: the warning that the session is about to end, else `null`. */
  readonly idleWarning: IdleWarning | null
  /** The client, once created in the browser; `null` on the server. */
  readonly client: AuthClient | null
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

/**
 * Options of {@link createAuth}.
 *
 * @see RFC 6749 §4.1.2 (the authorization response `onRedirectCallback` follows)
 */
export interface CreateAuthOptions {
  /**
   * Called once after this page load's redirect callback succeeded, to go to `returnTo` with the
   * app's router (SvelteKit: `goto(returnTo ?? '/', { replaceState: true })`); also after one that
   * failed where the login it answered had a `returnTo` (such as a `restore()` the provider could
   * not satisfy), with `user` `null` and the failure in `error`. Default: `history.replaceState`
   * to `returnTo`, when there is one.
   */
  readonly onRedirectCallback?: (result: RedirectResult) => void
}

/**
 * The session of `source`, a client or a function that creates it (called in the browser only).
 * In the browser it follows the client's state from the start and, when the page is the redirect
 * URI with an authorization response, completes the callback once and calls `onRedirectCallback`
 * once. On the server it creates no client and reports a loading state. Create it once per page:
 * in a module of its own, or in the root component with {@link setAuthContext}.
 *
 * @example
 * ```svelte
 * <script lang="ts">
 *   import { auth } from './auth' // export const auth = createAuth(() => createAuthClient({ … }))
 * </script>
 *
 * {#if auth.isLoading}
 *   <p>Loading…</p>
 * {:else if !auth.isAuthenticated}
 *   <button onclick={() => auth.login()}>Log in</button>
 * {:else}
 *   <button onclick={() => auth.logout()}>Log out {auth.user?.name}</button>
 * {/if}
 * ```
 *
 * @see RFC 6749 §4.1.2 (the authorization response), RFC 9700 §4.2.4 (the code leaves the address bar)
 */
export function createAuth(source: AuthClientSource, options: CreateAuthOptions = {}): Auth {
  const getClient = lazyClient(source)
  let client: AuthClient | null = null
  let state: AuthState | null = null
  let isLoading = true
  let error: Error | null = null

  // Svelte's reads subscribe while something reactive reads them; the session is followed always.
  const readers = new Set<() => void>()
  const track = createSubscriber((update) => {
    readers.add(update)
    return () => void readers.delete(update)
  })
  const changed = () => {
    for (const update of readers) update()
  }

  function requireClient(action: string): AuthClient {
    const current = getClient()
    if (current === null) throw noClientError(action)
    if (client !== current) {
      client = current
      changed()
    }
    return current
  }

  const auth: Auth = {
    get state() {
      track()
      return state
    },
    get isLoading() {
      track()
      return isLoading
    },
    get isAuthenticated() {
      return this.state?.authenticated ?? false
    },
    get user() {
      return this.state?.user ?? null
    },
    get error() {
      track()
      return error
    },
    get idleWarning() {
      return this.state?.idleWarning ?? null
    },
    get client() {
      track()
      return client
    },
    login: async (loginOptions) => requireClient('login').login(loginOptions),
    loginWithPopup: async (popupOptions) => requireClient('loginWithPopup').loginWithPopup(popupOptions),
    restore: async (restoreOptions) =>
      requireClient('restore').login({
        ...restoreOptions,
        prompt: 'none',
        returnTo: restoreOptions?.returnTo ?? location.href,
      }),
    logout: async (logoutOptions) => requireClient('logout').logout(logoutOptions),
    fetch: async (input, init) => requireClient('fetch').fetch(input, init),
  }

  if (isBrowser()) {
    followClient(requireClient('createAuth'), options.onRedirectCallback, {
      onState: (next) => {
        state = next
        changed()
      },
      onLoaded: (failure) => {
        error = failure
        isLoading = false
        changed()
      },
    })
  }
  return auth
}
