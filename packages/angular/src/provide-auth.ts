import { isPlatformBrowser } from '@angular/common'
import {
  computed,
  DestroyRef,
  inject,
  InjectionToken,
  Injector,
  makeEnvironmentProviders,
  PLATFORM_ID,
  provideAppInitializer,
  runInInjectionContext,
  signal,
  type EnvironmentProviders,
} from '@angular/core'
import { AuthError, isAuthError, type AuthClient, type AuthState, type RedirectResult } from '@oauth-enclave/client'
import { AUTH, type AuthService } from './auth-service.js'
import { callbackRun } from './redirect-callback.js'
import { createTargetMatcher, type TargetEntry } from './target-matcher.js'

/**
 * Creates the client, in the browser only: `() => createAuthClient({ … })`. It runs in the
 * application's injection context, so it may `inject()` configuration.
 */
export type AuthClientFactory = () => AuthClient

/**
 * Options of {@link provideAuth}.
 *
 * @see RFC 6749 §4.1.2 (the authorization response `onRedirectCallback` follows)
 */
export interface ProvideAuthOptions {
  /**
   * Called once after this page load's redirect callback succeeded, to go to `returnTo`; also after
   * one that failed where the login it answered had a `returnTo` (such as a `restore()` the provider
   * could not satisfy), with `user` `null` and the failure in `error`. It runs in the application's
   * injection context, so `inject(Router)` works. Default: `history.replaceState` to `returnTo`,
   * when there is one, before the router's first navigation, which then starts there.
   */
  readonly onRedirectCallback?: (result: RedirectResult) => void
  /**
   * Where {@link authInterceptor} sends `HttpClient` requests through the client's `fetch`: origins
   * or an origin plus a path prefix, as `allowedOrigins` of `createAuthClient` takes them (its
   * `ApiOptions` entries too): pass the same list. Requests elsewhere go to Angular's own backend
   * untouched. Default: none.
   */
  readonly allowedOrigins?: readonly TargetEntry[]
}

/** Whether {@link authInterceptor} routes a URL through `auth.fetch`. */
export const INTERCEPTED_TARGETS = new InjectionToken<(url: string) => boolean>('oauth-enclave intercepted targets')

/** Settles once `isLoading` is `false`; never on the server. */
const readiness = new WeakMap<AuthService, Promise<void>>()

/** Resolves once the first state is known and this page load's redirect callback, if any, handled. */
export function whenReady(auth: AuthService): Promise<void> {
  return readiness.get(auth) ?? new Promise<void>(() => {})
}

function replaceWithReturnTo({ returnTo }: RedirectResult): void {
  if (returnTo !== null) history.replaceState(history.state, '', returnTo)
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value))
}

function serverOnly(): Promise<never> {
  return Promise.reject(new AuthError('config_error', 'oauth-enclave runs in the browser only, not on the server'))
}

/** On the server: no client, loading for ever, every action refused. */
function serverAuth(): AuthService {
  const constant = <T>(value: T) => signal(value).asReadonly()
  return {
    state: constant(null),
    isLoading: constant(true),
    isAuthenticated: constant(false),
    user: constant(null),
    error: constant(null),
    idleWarning: constant(null),
    login: serverOnly,
    loginWithPopup: serverOnly,
    restore: serverOnly,
    logout: serverOnly,
    fetch: serverOnly,
    client: null,
  }
}

function browserAuth(source: AuthClient | AuthClientFactory, options: ProvideAuthOptions): AuthService {
  const injector = inject(Injector)
  const owned = typeof source === 'function'
  const client = owned ? source() : source
  const state = signal<AuthState | null>(null)
  const isLoading = signal(true)
  const error = signal<Error | null>(null)
  let active = true
  const unsubscribe = client.subscribe((next) => {
    if (active) state.set(next)
  })
  inject(DestroyRef).onDestroy(() => {
    active = false
    unsubscribe()
    if (owned) client.close()
  })
  const onRedirect = (result: RedirectResult): void => {
    const handler = options.onRedirectCallback
    if (handler) runInInjectionContext(injector, () => handler(result))
    else replaceWithReturnTo(result)
  }

  const auth: AuthService = {
    state: state.asReadonly(),
    isLoading: isLoading.asReadonly(),
    isAuthenticated: computed(() => state()?.authenticated ?? false),
    user: computed(() => state()?.user ?? null),
    error: error.asReadonly(),
    idleWarning: computed(() => state()?.idleWarning ?? null),
    login: client.login,
    loginWithPopup: client.loginWithPopup,
    restore: (options) => client.login({ ...options, prompt: 'none', returnTo: options?.returnTo ?? location.href }),
    logout: client.logout,
    fetch: client.fetch,
    client,
  }
  readiness.set(
    auth,
    (async () => {
      try {
        if (client.isRedirectCallback()) {
          const run = callbackRun(client, location.href)
          const result = await run.result
          if (active && run.claim()) onRedirect(result)
        }
        const current = await client.getState()
        if (active) state.set(current)
      } catch (thrown) {
        // Back where the login started (a `restore()` that needs the user, say), the error in `error`.
        if (active && isAuthError(thrown) && thrown.returnTo !== undefined) {
          onRedirect({ returnTo: thrown.returnTo, user: null })
        }
        if (active) error.set(asError(thrown))
      } finally {
        if (active) isLoading.set(false)
      }
    })(),
  )
  return auth
}

/**
 * Provides {@link injectAuth}, {@link authInterceptor} and {@link authGuard} to a standalone
 * application. In the browser it creates the client (from a factory) and, when the page is the
 * redirect URI with an authorization response, completes the callback once, before the application
 * starts, so the router never sees the code. On the server it creates no client and the state stays
 * loading: importing and providing touch no browser API there.
 *
 * @example
 * ```ts
 * bootstrapApplication(App, {
 *   providers: [
 *     provideAuth(() =>
 *       createAuthClient({
 *         issuer: 'https://id.example.com',
 *         clientId: 'my-spa',
 *         redirectUri: `${location.origin}/callback`,
 *         allowedOrigins: ['https://api.example.com/'],
 *       }),
 *       { allowedOrigins: ['https://api.example.com/'] },
 *     ),
 *     provideHttpClient(withInterceptors([authInterceptor])),
 *     provideRouter(routes),
 *   ],
 * })
 * ```
 *
 * @param client The client from `createAuthClient`, or a factory for it: prefer the factory with
 *   server-side rendering, as it is called in the browser only. A client from a factory is closed
 *   when the application is destroyed.
 * @see RFC 6749 §4.1.2 (the authorization response), RFC 9700 §4.2.4 (the code leaves the address bar)
 */
export function provideAuth(
  client: AuthClient | AuthClientFactory,
  options: ProvideAuthOptions = {},
): EnvironmentProviders {
  return makeEnvironmentProviders([
    {
      provide: AUTH,
      useFactory: () => (isPlatformBrowser(inject(PLATFORM_ID)) ? browserAuth(client, options) : serverAuth()),
    },
    { provide: INTERCEPTED_TARGETS, useFactory: () => createTargetMatcher(options.allowedOrigins ?? []) },
    provideAppInitializer(() => {
      const auth = inject(AUTH)
      // Only a callback holds the start: the router must first see `returnTo`, not the code.
      if (auth.client?.isRedirectCallback()) return whenReady(auth)
      return undefined
    }),
  ])
}
