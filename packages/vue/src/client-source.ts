import { AuthError, type AuthClient } from '@oauth-enclave/client'

/**
 * The client, or a function that creates it. The function is called in the browser only, once, so
 * that a module imported during server-side rendering never starts a worker.
 */
export type AuthClientSource = AuthClient | (() => AuthClient)

/** Whether this is a page: a server render has no `window`, and a session is never known there. */
export function isBrowser(): boolean {
  return typeof window !== 'undefined' && typeof document !== 'undefined'
}

/** The client of `source`, created on first use; `null` on the server. */
export function lazyClient(source: AuthClientSource): () => AuthClient | null {
  let client: AuthClient | null = typeof source === 'function' ? null : source
  return () => {
    if (client === null && isBrowser()) client = (source as () => AuthClient)()
    return client
  }
}

/** The error of an action called where there is no client: on the server. */
export function noClientError(action: string): AuthError {
  return new AuthError('config_error', `${action}() runs in the browser only: there is no client on the server`)
}
