import { AuthError, isAuthError } from '../shared/errors'

/** The first wait after a transient refresh failure, and the most any wait grows to. */
export const BACKOFF_BASE_MS = 1_000
export const BACKOFF_MAX_MS = 60_000

export interface BackoffDeps {
  /** The local clock, in epoch ms: the same one token expiry is counted by. */
  readonly now: () => number
  /** In [0, 1): `Math.random`, injected for tests. */
  readonly random: () => number
  /** `navigator.onLine`: `false` is reliable, `true` only says a network interface is up. */
  readonly onLine: () => boolean
  /** Where `online` fires: the worker's global scope. */
  readonly events: Pick<EventTarget, 'addEventListener'>
}

/**
 * When this tab may ask the provider for a refresh again after a transient failure: exponential
 * backoff with equal jitter, each wait drawn from [d/2, d) with d = 1 s doubling to at most 60 s,
 * so that a failure always gives the provider a rest and tabs that failed together retry apart.
 * A success, or the network coming back, ends the wait.
 *
 * @see RFC 6749 §5.2 (only the provider's own error answers say the grant is gone)
 */
export interface Backoff {
  /** Whether the provider was failing a moment ago: a refresh now is not worth trying. */
  waiting(): boolean
  /** A refresh failed for a transient reason: no other is tried before the next wait is over. */
  failed(): void
  /** A refresh succeeded: the next one, whenever due, is tried at once. */
  reset(): void
}

export function createBackoff(deps: BackoffDeps): Backoff {
  let failures = 0
  let from = 0
  let until = 0
  /** The network was seen down since the last failure: `onLine` turning true ends the wait. */
  let offlineSeen = false

  function reset(): void {
    failures = 0
    until = 0
    offlineSeen = false
  }

  // Firefox and Safari fire `online` in workers; Chromium does not (crbug.com/40155587), so
  // `waiting` also reads `navigator.onLine`, which it does keep up to date there.
  deps.events.addEventListener('online', reset)

  return {
    waiting(): boolean {
      if (!deps.onLine()) offlineSeen = true
      else if (offlineSeen) reset()
      const now = deps.now()
      // A clock set back (or a device that slept with its clock wrong) does not stretch the wait.
      return now >= from && now < until
    },
    failed(): void {
      const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** failures++)
      from = deps.now()
      until = from + (ceiling / 2) * (1 + deps.random())
      offlineSeen = !deps.onLine()
    },
    reset,
  }
}

/**
 * A refresh failure that says nothing about the grant, as the `network_error` callers get: the
 * provider unreachable, too slow (`providerTimeoutMs`), or answering 429 or 5xx, whatever the
 * body (its `status`, and `oauthError` if it sent one, are kept). `null` for anything else.
 *
 * @see RFC 9110 §15.6 (5xx: the server failed, not the request), RFC 6585 §4 (429)
 */
export function transientFailure(error: unknown): AuthError | null {
  if (isAuthError(error, 'network_error')) return error
  if (!isAuthError(error) || error.status === undefined) return null
  const { status, oauthError } = error
  if (status !== 429 && status < 500) return null
  return new AuthError('network_error', `refresh: the provider answered ${status}`, {
    status,
    ...(oauthError !== undefined && { oauthError }),
  })
}
