import {
  AuthError,
  type AuthClient,
  type AuthState,
  type IdleWarning,
  type LoginOptions,
  type UserClaims,
} from '@oauth-enclave/client'
import { inject, InjectionToken, type Signal } from '@angular/core'

/**
 * What {@link injectAuth} returns: the session as the page may know it (never a token), as
 * signals, and the client's actions.
 *
 * @see RFC 6749 §4.1 (Authorization Code Grant), OpenID Connect Core 1.0 §3.1
 */
export interface AuthService {
  /** The latest {@link AuthState}; `null` while loading, and always on the server. */
  readonly state: Signal<AuthState | null>
  /**
   * `true` until the first state is known and a redirect callback on this page load, if any, has
   * been handled. Always `true` on the server: the session lives in the browser's worker.
   */
  readonly isLoading: Signal<boolean>
  /** Whether there is a session with usable tokens. */
  readonly isAuthenticated: Signal<boolean>
  /** The validated ID token claims, or `null`. */
  readonly user: Signal<UserClaims | null>
  /** Why the redirect callback or reading the state failed (an `AuthError`), else `null`. */
  readonly error: Signal<Error | null>
  /** With `idleTimeoutSeconds`: the warning while it lasts (README, "Idle timeout"), else `null`. */
  readonly idleWarning: Signal<IdleWarning | null>
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
   * `AuthClient.fetch`: credentials are attached in the worker, for allowed targets only. With
   * `HttpClient`, {@link authInterceptor} does this for you.
   *
   * @see RFC 9449 §7 (DPoP-bound access tokens), RFC 6750 §2.1 (Bearer)
   */
  readonly fetch: AuthClient['fetch']
  /** The client given to {@link provideAuth}; `null` on the server, where none is created. */
  readonly client: AuthClient | null
}

/**
 * The {@link AuthService} of the application, provided by {@link provideAuth}. Prefer
 * {@link injectAuth}, which says what is missing when it is not provided.
 */
export const AUTH = new InjectionToken<AuthService>('oauth-enclave AuthService')

/**
 * The session signals and the login and logout actions. Call it in an injection context: a field
 * initialiser, a constructor, a guard, an interceptor, or `runInInjectionContext`.
 *
 * @example
 * ```ts
 * @Component({
 *   selector: 'app-account',
 *   template: `
 *     @if (auth.isAuthenticated()) {
 *       <button (click)="auth.logout()">Log out {{ auth.user()?.sub }}</button>
 *     } @else if (!auth.isLoading()) {
 *       <button (click)="auth.login()">Log in</button>
 *     }
 *   `,
 * })
 * export class Account {
 *   protected readonly auth = injectAuth()
 * }
 * ```
 *
 * @throws AuthError `config_error` when {@link provideAuth} is not among the application's providers.
 * @see RFC 6749 §4.1 (Authorization Code Grant), OpenID Connect RP-Initiated Logout 1.0 §2
 */
export function injectAuth(): AuthService {
  const auth = inject(AUTH, { optional: true })
  if (auth === null) throw new AuthError('config_error', 'injectAuth() needs provideAuth() among the providers')
  return auth
}
