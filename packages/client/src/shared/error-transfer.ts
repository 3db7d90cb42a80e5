import { transferHandlers, type TransferHandler } from 'comlink'
import { AuthError, isAuthErrorCode } from './errors'

/** What crosses the worker boundary for a rejection: plain data, never a cause or a stack. */
type ThrownWire =
  | { kind: 'auth'; code: string; message: string; oauthError?: string; status?: number }
  | { kind: 'type'; message: string }
  | { kind: 'error'; name: string; message: string }

function toWire(value: unknown): ThrownWire {
  if (value instanceof AuthError) {
    return {
      kind: 'auth',
      code: value.code,
      message: value.message,
      ...(value.oauthError !== undefined && { oauthError: value.oauthError }),
      ...(value.status !== undefined && { status: value.status }),
    }
  }
  // What a plain fetch rejects with for a network failure; its messages name no secret.
  if (value instanceof TypeError) return { kind: 'type', message: value.message }
  // Only the name survives for anything else: messages of foreign errors are not ours to vouch for.
  const name = value instanceof Error ? value.name : 'Error'
  return { kind: 'error', name, message: name === 'AbortError' ? 'The operation was aborted.' : 'Worker error' }
}

function fromWire(wire: ThrownWire): Error {
  if (wire.kind === 'auth') {
    const code = isAuthErrorCode(wire.code) ? wire.code : 'worker_error'
    return new AuthError(code, wire.message, {
      ...(wire.oauthError !== undefined && { oauthError: wire.oauthError }),
      ...(wire.status !== undefined && { status: wire.status }),
    })
  }
  if (wire.kind === 'type') return new TypeError(wire.message)
  if (wire.name === 'AbortError') return new DOMException(wire.message, 'AbortError')
  return new AuthError('worker_error', wire.message)
}

/**
 * Makes rejections keep their {@link AuthError} class and `code` across the comlink boundary.
 * Comlink otherwise sends only `{ name, message, stack }`. Call on both sides before the first call.
 */
export function registerErrorTransfer(): void {
  const builtIn = transferHandlers.get('throw')
  if (!builtIn || (builtIn as { oauthEnclave?: true }).oauthEnclave) return
  const handler: TransferHandler<{ value: unknown }, ThrownWire> & { oauthEnclave: true } = {
    oauthEnclave: true,
    canHandle: (value): value is { value: unknown } => builtIn.canHandle(value),
    serialize: ({ value }) => [toWire(value), []],
    deserialize: (wire) => {
      throw fromWire(wire)
    },
  }
  transferHandlers.set('throw', handler)
}
