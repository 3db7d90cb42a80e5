import type { LoginOptions } from '@oauth-enclave/client'
import { watch } from 'vue'
import type { Auth } from './auth.js'
import { isBrowser } from './client-source.js'

/** The part of a Vue Router route location the guard reads. */
export interface GuardedRoute {
  /** The path, query and hash, as `router.replace()` takes them back. */
  readonly fullPath: string
}

/**
 * A Vue Router navigation guard that lets signed-in users through and sends the others to log in,
 * coming back to the route they asked for. It waits for the session to be known first (a redirect
 * callback in progress, say). For `router.beforeEach()` or a route's `beforeEnter`. On the server,
 * where the session is never known, it lets every navigation through: the browser's own first
 * navigation runs it again.
 *
 * @example
 * ```ts
 * const requireAuth = createAuthGuard(auth)
 * const router = createRouter({
 *   history: createWebHistory(),
 *   routes: [{ path: '/account', component: Account, beforeEnter: requireAuth }],
 * })
 * ```
 *
 * @param loginOptions passed to `login()`, besides `returnTo` (the route's `fullPath`)
 * @see RFC 6749 §4.1 (Authorization Code Grant)
 */
export function createAuthGuard(
  auth: Pick<Auth, 'isLoading' | 'isAuthenticated' | 'login'>,
  loginOptions: Omit<LoginOptions, 'returnTo'> = {},
): (to: GuardedRoute) => Promise<boolean> {
  return async (to) => {
    if (!isBrowser()) return true
    if (auth.isLoading.value) {
      await new Promise<void>((resolve) => watch(auth.isLoading, () => resolve(), { once: true }))
    }
    if (auth.isAuthenticated.value) return true
    await auth.login({ ...loginOptions, returnTo: to.fullPath })
    return false
  }
}
