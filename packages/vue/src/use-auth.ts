import { AuthError, type AuthClient } from '@oauth-enclave/client'
import { hasInjectionContext, inject } from 'vue'
import { authKey, type Auth } from './auth.js'

/**
 * The session and the actions of the app's {@link createAuth} plugin, in `setup()` (or
 * `<script setup>`) of a component. The refs stay reactive when destructured.
 *
 * @example
 * ```vue
 * <script setup lang="ts">
 * import { useAuth } from '@oauth-enclave/vue'
 * const { isLoading, isAuthenticated, user, login, logout } = useAuth()
 * </script>
 *
 * <template>
 *   <p v-if="isLoading">Loading…</p>
 *   <button v-else-if="!isAuthenticated" @click="login()">Log in</button>
 *   <button v-else @click="logout()">Log out {{ user?.name }}</button>
 * </template>
 * ```
 *
 * @throws AuthError `config_error` outside `setup()` or in an app without the plugin.
 * @see RFC 6749 §4.1 (Authorization Code Grant), OpenID Connect RP-Initiated Logout 1.0 §2
 */
export function useAuth(): Auth {
  const auth = hasInjectionContext() ? inject(authKey, null) : null
  if (auth === null) {
    throw new AuthError('config_error', 'useAuth() runs in setup() of a component of an app that uses createAuth()')
  }
  return auth
}

/**
 * The client's `fetch`: credentials are attached in the worker, for allowed targets only. The same
 * function on every call.
 *
 * @throws AuthError `config_error` outside `setup()` or in an app without the plugin.
 * @see RFC 9449 §7 (DPoP-bound access tokens), RFC 6750 §2.1 (Bearer)
 */
export function useAuthFetch(): AuthClient['fetch'] {
  return useAuth().fetch
}
