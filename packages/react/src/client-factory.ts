import { AuthError, type AuthClient } from '@oauth-enclave/client'

/** What {@link AuthProvider} takes: the client, or a function that creates it in the browser. */
export type AuthClientSource = AuthClient | (() => AuthClient)

const created = new WeakMap<() => AuthClient, AuthClient>()

/**
 * The client `factory` created, creating it on first use. One per factory for the page's life:
 * StrictMode's double effects, a remount or a second provider given the same function must not
 * start a second worker.
 */
export function clientOf(factory: () => AuthClient): AuthClient {
  let client = created.get(factory)
  if (!client) {
    client = factory()
    created.set(factory, client)
  }
  return client
}

const notYet = (): Promise<never> =>
  Promise.reject(
    new AuthError(
      'config_error',
      'the client is created in the browser after the first render: wait until isLoading is false',
    ),
  )

/**
 * The context's client while the factory has not run (on the server, and in the browser until the
 * first effect): every call rejects with a `config_error`, and it is never a redirect callback.
 */
export const PENDING_CLIENT: AuthClient = {
  login: notYet,
  loginWithPopup: notYet,
  isRedirectCallback: () => false,
  handleRedirectCallback: notYet,
  isAuthenticated: notYet,
  getUser: notYet,
  getState: notYet,
  fetch: notYet,
  logout: notYet,
  subscribe: () => () => {},
  close: () => {},
}
