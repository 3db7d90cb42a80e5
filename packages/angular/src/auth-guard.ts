import { LocationStrategy } from '@angular/common'
import { inject } from '@angular/core'
import type { CanActivateFn } from '@angular/router'
import { injectAuth } from './auth-service.js'
import { whenReady } from './provide-auth.js'

/**
 * A route guard: lets the navigation through when there is a session, else starts `login()` with
 * `returnTo` the guarded route and cancels the navigation (the page is leaving). It waits for
 * `isLoading` to end first. After a redirect callback that failed (`error` set) it starts no other
 * login, which could loop on a provider that keeps refusing: it cancels, and the app shows `error`
 * with a login button. On the server it always cancels.
 *
 * @example
 * ```ts
 * const routes: Routes = [{ path: 'account', component: Account, canActivate: [authGuard] }]
 * ```
 *
 * @see RFC 6749 §4.1 (Authorization Code Grant)
 */
export const authGuard: CanActivateFn = async (_route, routerState) => {
  const auth = injectAuth()
  if (auth.client === null) return false
  // The route's URL as the address bar will show it, below the `<base href>`.
  const returnTo = new URL(inject(LocationStrategy).prepareExternalUrl(routerState.url), location.href).href
  await whenReady(auth)
  if (auth.isAuthenticated()) return true
  if (auth.error() !== null) return false
  await auth.login({ returnTo })
  return false
}
