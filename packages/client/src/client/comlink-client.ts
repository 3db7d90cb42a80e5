/**
 * The page's end of comlink's wire protocol, for exactly the calls it makes: an `APPLY` of one of the
 * worker API's methods with plain-data arguments (transferred where marked with {@link transfer}),
 * and, for `init`, the state listener, sent as comlink's `proxy` handler sends one. The worker's end
 * is `worker/comlink-server.ts`.
 *
 * Comlink's own `wrap` is not used: its module keeps `expose` (its `proxy` handler's) and the rest of
 * its protocol (property reads and writes, constructors, releases, finalizers) in any bundle that
 * imports it, 1.5 KB min+gzip the page loaded up front for these few calls.
 */
import { errorFromWire, type ThrownWire } from '../shared/error-transfer'

/** What the client posts to and hears from: the worker (a `MessagePort`, started, in tests). */
export interface ClientEndpoint {
  postMessage(message: unknown, transfer: Transferable[]): void
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
}

/** The worker API as the page calls it: its methods already return promises. */
export type Remote<T> = T

/** An answer of the worker: comlink's `RAW` value, or its `throw` handler's. */
type Answer = { readonly id: number } & (
  { readonly type: 'RAW'; readonly value: unknown } | { readonly type: 'HANDLER'; readonly value: ThrownWire }
)

const transfers = new WeakMap<object, Transferable[]>()

/** Marks `value` so that `transferables` are transferred, not copied, when it is sent (as `comlink.transfer`). */
export function transfer<T extends object>(value: T, transferables: Transferable[]): T {
  transfers.set(value, transferables)
  return value
}

/**
 * Marks a listener to be called from the worker (as `comlink.proxy`). Every function argument is
 * sent that way, so this only documents the call.
 */
export const proxy = <T extends (value: never) => void>(listener: T): T => listener

/**
 * A comlink argument: a function goes as the `proxy` handler's port, whose `APPLY` messages call it
 * (the worker never reads an answer, so none is sent); anything else as a `RAW` value.
 */
function toWire(value: unknown, transferables: Transferable[]): unknown {
  if (typeof value !== 'function') {
    transferables.push(...(transfers.get(value as object) ?? []))
    return { type: 'RAW', value }
  }
  const { port1, port2 } = new MessageChannel()
  port1.onmessage = ({ data }: MessageEvent<{ argumentList: [{ value: never }] }>) =>
    (value as (value: never) => void)(data.argumentList[0].value)
  transferables.push(port2)
  return { type: 'HANDLER', name: 'proxy', value: port2 }
}

/**
 * The worker's API: each method call posts a comlink `APPLY` and settles with the worker's answer,
 * a rejection decoded by {@link errorFromWire}. Nothing else is sent; a worker that never answers
 * leaves the call pending (`worker-connection.ts` rejects it when the worker ends).
 */
export function wrap<T extends object>(worker: ClientEndpoint): Remote<T> {
  const pending = new Map<number, (answer: Answer) => void>()
  let lastId = 0
  worker.addEventListener('message', ({ data }: MessageEvent<Answer>) => {
    pending.get(data.id)?.(data)
    pending.delete(data.id)
  })
  return new Proxy({} as T, {
    // Not a thenable: awaiting the API itself must not post a call.
    get: (_, name) =>
      name === 'then'
        ? undefined
        : (...args: unknown[]) =>
            new Promise((resolve, reject) => {
              const transferables: Transferable[] = []
              const argumentList = args.map((arg) => toWire(arg, transferables))
              const id = ++lastId
              worker.postMessage({ id, type: 'APPLY', path: [name], argumentList }, transferables)
              pending.set(id, (answer) =>
                answer.type === 'RAW' ? resolve(answer.value) : reject(errorFromWire(answer.value)),
              )
            }),
  })
}
