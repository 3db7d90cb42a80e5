import { AuthError, type AuthErrorCode, type AuthErrorDetails } from './errors'

/** What crosses the worker boundary for a rejection: plain data, never a cause or a stack. */
export type ThrownWire =
  | { kind: 'auth'; code: AuthErrorCode; message: string; details?: AuthErrorDetails }
  | { kind: 'type'; message: string }
  | { kind: 'error'; name: 'AbortError'; message: string }

/** The {@link AuthErrorDetails} that may cross, by name: nothing else an error holds does. */
const DETAILS = ['oauthError', 'status', 'acrValues', 'maxAge', 'returnTo'] as const

/**
 * A rejection of the worker API's `method` as it leaves the worker: the `throw` handler's value on
 * comlink's wire. Only {@link AuthError}s cross as they are, and what a plain `fetch` rejects with
 * (the caller's `AbortError`; for `fetch`, a `TypeError`, whose messages name no secret); anything
 * else becomes a `worker_error` naming the method, never its message, which is not ours to vouch for.
 */
export function errorToWire(value: unknown, method: string): ThrownWire {
  if (value instanceof AuthError) {
    const details: Record<string, unknown> = {}
    for (const name of DETAILS) if (value[name] !== undefined) details[name] = value[name]
    return { kind: 'auth', code: value.code, message: value.message, details }
  }
  if (value instanceof DOMException && value.name === 'AbortError') {
    return { kind: 'error', name: 'AbortError', message: 'The operation was aborted.' }
  }
  if (value instanceof TypeError && method === 'fetch') return { kind: 'type', message: value.message }
  return { kind: 'auth', code: 'worker_error', message: `${method} failed unexpectedly` }
}

/** The error the page rejects with for a rejection that crossed as `wire`. */
export function errorFromWire(wire: ThrownWire): Error {
  // Only the worker answers on this channel, with codes from its own AuthErrors (errorToWire).
  if (wire.kind === 'auth') return new AuthError(wire.code, wire.message, wire.details)
  if (wire.kind === 'type') return new TypeError(wire.message)
  // The only other kind errorToWire sends.
  return new DOMException(wire.message, 'AbortError')
}
