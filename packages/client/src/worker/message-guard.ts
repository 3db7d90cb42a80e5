import { transferHandlers, type Endpoint } from 'comlink'
import { AuthError } from '../shared/errors'

/**
 * Comlink's `expose` serves any message naming any property path of the exposed object: `GET` and
 * `SET` anywhere (`['__proto__', name]` is `Object.prototype`, so one `SET` from the page changes
 * every object in the worker, e.g. the metadata lookups that pick the token endpoint), `CONSTRUCT`
 * (`['init', 'constructor']` is the `AsyncFunction` constructor), `ENDPOINT` and `RELEASE`. The page
 * is not trusted, so only what the SDK's own client sends reaches comlink: an `APPLY` of one of the
 * API's own methods with plain-data arguments, plus, for `init`, the proxied state listener.
 * Everything else is answered with a `config_error` here.
 */
export function guardEndpoint(endpoint: Endpoint, methods: readonly string[]): Endpoint {
  const guarded = new Map<EventListenerOrEventListenerObject, EventListener>()
  return {
    postMessage: (message, transfer) => endpoint.postMessage(message, transfer ?? []),
    addEventListener(type, listener, options) {
      const filter: EventListener = (event) => {
        const data: unknown = (event as MessageEvent).data
        if (isClientCall(data, methods)) {
          if (typeof listener === 'function') listener(event)
          else listener.handleEvent(event)
        } else {
          refuse(endpoint, data)
        }
      }
      guarded.set(listener, filter)
      endpoint.addEventListener(type, filter, options)
    },
    removeEventListener(type, listener, options) {
      const filter = guarded.get(listener)
      if (filter) endpoint.removeEventListener(type, filter, options)
    },
  }
}

interface WireValue {
  readonly type?: unknown
  readonly name?: unknown
}

const isRaw = (value: unknown): boolean => (value as WireValue | null)?.type === 'RAW'
const isProxy = (value: unknown): boolean =>
  (value as WireValue | null)?.type === 'HANDLER' && (value as WireValue).name === 'proxy'

function isClientCall(data: unknown, methods: readonly string[]): boolean {
  if (typeof data !== 'object' || data === null) return false
  const { type, path, argumentList } = data as { type?: unknown; path?: unknown; argumentList?: unknown }
  if (type !== 'APPLY' || !Array.isArray(path) || path.length !== 1 || !Array.isArray(argumentList)) return false
  const [method] = path as unknown[]
  if (typeof method !== 'string' || !methods.includes(method)) return false
  return argumentList.every(
    (argument, index) => isRaw(argument) || (method === 'init' && index === 1 && isProxy(argument)),
  )
}

/** Answers a refused call the way comlink answers a rejection, so the caller sees the `AuthError`. */
function refuse(endpoint: Endpoint, data: unknown): void {
  const id = typeof data === 'object' && data !== null ? (data as { id?: unknown }).id : undefined
  if (typeof id !== 'string' && typeof id !== 'number') return
  const error = new AuthError('config_error', 'the worker accepts only calls of its own methods, with plain data')
  const handler = transferHandlers.get('throw')
  if (!handler) return
  const [value, transfer] = handler.serialize({ value: error })
  endpoint.postMessage({ id, type: 'HANDLER', name: 'throw', value }, transfer)
}
