import { isAuthError, type AuthClient, type AuthState, type RedirectResult } from '@oauth-enclave/client'
import { callbackRun, type CallbackRun } from './redirect-callback.js'

/** What {@link followClient} tells the adapter's reactive state. */
export interface ClientFollower {
  /** Every state the client reports, in order. */
  onState(state: AuthState): void
  /** Once: the first state is known and the redirect callback, if any, handled; `error` if either failed. */
  onLoaded(error: Error | null): void
}

/** The default `onRedirectCallback`: the address becomes `returnTo`, without a navigation. */
export function replaceWithReturnTo({ returnTo }: RedirectResult): void {
  if (returnTo !== null) history.replaceState(history.state, '', returnTo)
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value))
}

/**
 * Follows `client` in the browser: every state it reports, and this page load's redirect callback,
 * completed once however many followers start on it, `onRedirectCallback` called once. Returns
 * the function that stops following.
 *
 * @see RFC 6749 §4.1.2 (the authorization response), RFC 9700 §4.2.4 (the code leaves the address bar)
 */
export function followClient(
  client: AuthClient,
  onRedirectCallback: ((result: RedirectResult) => void) | undefined,
  follower: ClientFollower,
): () => void {
  let active = true
  const navigate = onRedirectCallback ?? replaceWithReturnTo
  const unsubscribe = client.subscribe((next) => {
    if (active) follower.onState(next)
  })
  void (async () => {
    let run: CallbackRun | undefined
    let error: Error | null = null
    try {
      if (client.isRedirectCallback()) {
        run = callbackRun(client, location.href)
        const result = await run.result
        if (active && run.claim()) navigate(result)
      }
      const current = await client.getState()
      if (active) follower.onState(current)
    } catch (thrown) {
      // Back where the login started (a `restore()` that needs the user, say), the error in `error`.
      if (active && isAuthError(thrown) && thrown.returnTo !== undefined && run?.claim()) {
        navigate({ returnTo: thrown.returnTo, user: null })
      }
      error = asError(thrown)
    }
    if (active) follower.onLoaded(error)
  })()
  return () => {
    active = false
    unsubscribe()
  }
}
