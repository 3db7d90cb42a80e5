import type { AuthClient, AuthState, RedirectResult } from '@oauth-enclave/client'
import { computed, shallowRef, type App, type ObjectPlugin } from 'vue'
import { authKey, type Auth } from './auth.js'
import { isBrowser, lazyClient, noClientError, type AuthClientSource } from './client-source.js'
import { followClient } from './follow-client.js'

/**
 * Options of {@link createAuth}.
 *
 * @see RFC 6749 §4.1.2 (the authorization response `onRedirectCallback` follows)
 */
export interface CreateAuthOptions {
  /**
   * Called once after this page load's redirect callback succeeded, to go to `returnTo` with the
   * app's router; also after one that failed where the login it answered had a `returnTo` (such
   * as a `restore()` the provider could not satisfy), with `user` `null` and the failure in
   * `error`. Default: `history.replaceState` to `returnTo`, when there is one.
   */
  readonly onRedirectCallback?: (result: RedirectResult) => void
}

/** The plugin {@link createAuth} returns: give it to `app.use()`; it is also the {@link Auth} itself. */
export interface AuthPlugin extends Auth, ObjectPlugin<[]> {
  /** Provides {@link useAuth} to the app's components and starts following the client, in the browser. */
  install(app: App): void
}

/**
 * The Vue plugin of `source`, a client or a function that creates it (called in the browser only).
 * Once installed with `app.use()`, it follows the client's state and, when the page is the redirect
 * URI with an authorization response, completes the callback once and calls `onRedirectCallback`
 * once. On the server it creates no client and reports a loading state.
 *
 * @example
 * ```ts
 * const auth = createAuth(() => createAuthClient({ issuer, clientId, redirectUri }))
 * createApp(App).use(auth).mount('#app')
 * ```
 *
 * @see RFC 6749 §4.1.2 (the authorization response), RFC 9700 §4.2.4 (the code leaves the address bar)
 */
export function createAuth(source: AuthClientSource, options: CreateAuthOptions = {}): AuthPlugin {
  const getClient = lazyClient(source)
  const client = shallowRef<AuthClient | null>(null)
  const state = shallowRef<AuthState | null>(null)
  const isLoading = shallowRef(true)
  const error = shallowRef<Error | null>(null)

  function requireClient(action: string): AuthClient {
    const current = getClient()
    if (current === null) throw noClientError(action)
    client.value = current
    return current
  }

  const plugin: AuthPlugin = {
    state: computed(() => state.value),
    isLoading: computed(() => isLoading.value),
    isAuthenticated: computed(() => state.value?.authenticated ?? false),
    user: computed(() => state.value?.user ?? null),
    error: computed(() => error.value),
    idleWarning: computed(() => state.value?.idleWarning ?? null),
    client: computed(() => client.value),
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
    install(app) {
      app.provide(authKey, plugin)
      if (!isBrowser()) return
      isLoading.value = true
      error.value = null
      const stop = followClient(requireClient('createAuth'), options.onRedirectCallback, {
        onState: (next) => (state.value = next),
        onLoaded: (failure) => {
          error.value = failure
          isLoading.value = false
        },
      })
      app.onUnmount(stop)
    },
  }
  return plugin
}
