/**
 * The worker's end of comlink's wire protocol, for exactly the calls the SDK's page-side client
 * makes: an `APPLY` of one of the API's own methods with plain-data arguments, plus, for `init`, the
 * page's state listener passed with `comlink.proxy`. The page's side is `client/comlink-client.ts`.
 *
 * Comlink's own `expose` is not used: it serves any message naming any property path of the exposed
 * object, `GET` and `SET` anywhere (`['__proto__', name]` is `Object.prototype`, so one `SET` from
 * the page changes every object in the worker, e.g. the metadata lookups that pick the token
 * endpoint), `CONSTRUCT` (`['init', 'constructor']` is the `AsyncFunction` constructor), `ENDPOINT`
 * and `RELEASE`. The page is not trusted; here anything but the calls above is answered with a
 * `config_error` and reaches nothing. (It also keeps comlink, 1.5 KB min+gzip, out of the worker.)
 */
import { errorToWire } from '../shared/error-transfer'
import { AuthError } from '../shared/errors'

/** A method of the served API: plain data in, a promise of plain data (or transferables) out. */
type Method = (...args: never[]) => Promise<unknown>

/** What posts and receives messages: the worker's global scope, or a `MessagePort` in tests. */
export interface ServerEndpoint {
  postMessage(message: unknown, transfer: Transferable[]): void
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
}

/** Comlink's `WireValue`, as far as the client sends it. */
interface WireValue {
  readonly type?: unknown
  readonly name?: unknown
  readonly value?: unknown
}

const transfers = new WeakMap<object, Transferable[]>()

/** Marks `value` so that `transferables` are transferred, not copied, when it is returned (what `comlink.transfer` does on the page). */
export function withTransfer<T extends object>(value: T, transferables: Transferable[]): T {
  transfers.set(value, transferables)
  return value
}

/** A random id for the listener's calls, in comlink's format; the worker never reads the answers. */
const callId = (): string => crypto.randomUUID()

/**
 * A function that calls the page's listener over the `MessagePort` comlink's `proxy` sent. The
 * answers are dropped: the worker never waits for the page.
 */
function remoteListener(port: MessagePort): (value: unknown) => void {
  port.start()
  return (value) => port.postMessage({ id: callId(), type: 'APPLY', path: [], argumentList: [{ type: 'RAW', value }] })
}

/** The arguments of a client call, decoded; `null` for anything else. */
function decodeCall(
  data: unknown,
  methods: ReadonlyMap<string, Method>,
): { name: string; method: Method; args: unknown[] } | null {
  if (typeof data !== 'object' || data === null) return null
  const { type, path, argumentList } = data as { type?: unknown; path?: unknown; argumentList?: unknown }
  if (type !== 'APPLY' || !Array.isArray(path) || path.length !== 1 || !Array.isArray(argumentList)) return null
  const name = path[0] as unknown
  const method = typeof name === 'string' ? methods.get(name) : undefined
  if (!method) return null
  // `init` takes exactly its four arguments, the listener second; other methods only data.
  if (name === 'init' && argumentList.length !== 4) return null
  const args: unknown[] = []
  for (const [index, argument] of (argumentList as (WireValue | null)[]).entries()) {
    if (name === 'init' && index === 1) {
      if (argument?.type !== 'HANDLER' || argument.name !== 'proxy' || !(argument.value instanceof MessagePort))
        return null
      args.push(remoteListener(argument.value))
    } else if (argument?.type === 'RAW') args.push(argument.value)
    else return null
  }
  return { name: name as string, method, args }
}

/**
 * Answers the page's comlink calls of `api`'s own methods on `endpoint` (the worker's global scope).
 * A rejection crosses as the `throw` handler's value ({@link errorToWire}); a call of anything else
 * is refused with a `config_error` without touching `api`.
 */
export function serveComlink(api: Record<string, Method>, endpoint: ServerEndpoint): void {
  const methods = new Map(Object.entries(api))
  endpoint.addEventListener('message', (event) => {
    const data: unknown = event.data
    const id = typeof data === 'object' && data !== null ? (data as { id?: unknown }).id : undefined
    const call = decodeCall(data, methods)
    const reply = (message: Record<string, unknown>, transferables: Transferable[] = []): void => {
      // Comlink's client matches answers by id; a message without one is nobody's call.
      if (typeof id === 'string' || typeof id === 'number') endpoint.postMessage({ ...message, id }, transferables)
    }
    const fail = (error: unknown): void =>
      reply({ type: 'HANDLER', name: 'throw', value: errorToWire(error, call?.name ?? '') })
    if (!call) {
      fail(new AuthError('config_error', 'not a call of the worker API'))
      return
    }
    new Promise<unknown>((resolve) => resolve(call.method(...(call.args as never[])))).then((value) => {
      try {
        const transferables = typeof value === 'object' && value !== null ? transfers.get(value) : undefined
        reply({ type: 'RAW', value }, transferables)
      } catch {
        fail(new TypeError('Unserializable return value'))
      }
    }, fail)
  })
}
