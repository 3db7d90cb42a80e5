/**
 * What script in the page can do with the SDK's worker when it runs before the SDK: keep the
 * `Worker` it creates, and post comlink-protocol messages to it by hand. Comlink is not a global
 * in the page, and the attacker needs none of it: the wire format is plain data
 * (comlink 4.4.2 `dist/esm/comlink.mjs`):
 *
 * - a call: `{ id, type: 'APPLY' | 'GET' | 'SET' | 'CONSTRUCT' | 'ENDPOINT' | 'RELEASE', path, argumentList, value? }`
 *   with each argument and value as `{ type: 'RAW', value }`;
 * - the answer: `{ id, type: 'RAW', value }` (for `fetch`, a `WireResponse`), or `{ id, type: 'HANDLER', name: 'throw', value }` for a
 *   rejection, whose `value` the SDK's error transfer writes as `{ kind: 'auth', code, message }`.
 */
import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'

/** A comlink message as the attacker writes it; `id` is added on sending. */
export interface CraftedMessage {
  readonly type: string
  readonly path?: unknown[]
  readonly argumentList?: unknown[]
  readonly value?: unknown
  readonly [extra: string]: unknown
}

/** What came back, reduced to what a test compares; a response body is read as text. */
export type WorkerAnswer =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'response'; readonly status: number; readonly body: string }
  | { readonly kind: 'refused'; readonly code: string | undefined; readonly error: unknown }
  | { readonly kind: 'other'; readonly message: unknown }

/** Wraps a plain value as comlink's `{ type: 'RAW', value }`. */
export const raw = (value: unknown) => ({ type: 'RAW', value })

/** An argument passed with `comlink.proxy`: {@link sendToWorker} puts a fresh, transferred MessagePort in its place. */
export const proxiedListener = { type: 'HANDLER', name: 'proxy', value: 'a MessagePort' } as const

/** The client package's version, which `init` must name (packages/client/src/shared/version.ts). */
export const clientVersion: string = (
  JSON.parse(readFileSync(new URL('../../packages/client/package.json', import.meta.url), 'utf8')) as {
    version: string
  }
).version

/**
 * Posts `message` to the page's SDK worker (kept by `captureWorkers`, e2e/support/worker-capture.ts)
 * as a comlink call and returns its answer.
 */
export async function sendToWorker(page: Page, message: CraftedMessage): Promise<WorkerAnswer> {
  return page.evaluate(async (message) => {
    const target = window.__latestSdkWorker!()
    const id = `attacker-${crypto.randomUUID()}`
    const reply = await new Promise<Record<string, unknown>>((resolve) => {
      target.addEventListener('message', function answer(event: MessageEvent) {
        if (event.data?.id !== id) return
        target.removeEventListener('message', answer)
        resolve(event.data as Record<string, unknown>)
      })
      const ports: MessagePort[] = []
      const argumentList = message.argumentList?.map((argument) => {
        const wire = argument as { type?: unknown; name?: unknown } | null
        if (wire?.type !== 'HANDLER' || wire.name !== 'proxy') return argument
        const { port1, port2 } = new MessageChannel()
        ports.push(port2)
        port1.start()
        return { type: 'HANDLER', name: 'proxy', value: port2 }
      })
      target.postMessage({ ...message, ...(argumentList && { argumentList }), id }, ports)
    })
    if (reply.type === 'HANDLER' && reply.name === 'throw') {
      const error = reply.value as { kind?: string; code?: string } | undefined
      return { kind: 'refused', code: error?.code, error } as const
    }
    if (reply.type === 'RAW') {
      const value = reply.value as { status?: unknown; headers?: unknown; body?: unknown } | undefined
      if (value && typeof value.status === 'number' && Array.isArray(value.headers)) {
        // A WireResponse. Its body is read when it came whole or as a stream; a body streamed over
        // a port of the SDK's own protocol is left unread.
        const { body } = value
        const text =
          body instanceof ArrayBuffer || body instanceof ReadableStream
            ? await new Response(body).text()
            : body instanceof MessagePort
              ? '[streamed over a port]'
              : ''
        return { kind: 'response', status: value.status, body: text } as const
      }
      return { kind: 'value', value: reply.value } as const
    }
    return { kind: 'other', message: JSON.parse(JSON.stringify(reply)) as unknown } as const
  }, message)
}

/** A complete `WireRequest` (packages/client/src/shared/wire.ts) for `url`, as the page's client would send it. */
export function wireRequest(url: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: Math.floor(Math.random() * 1e9),
    url,
    method: 'GET',
    headers: [],
    body: null,
    mode: 'cors',
    credentials: 'same-origin',
    cache: 'default',
    redirect: 'follow',
    integrity: '',
    keepalive: false,
    referrerPolicy: '',
    abortable: false,
    ...overrides,
  }
}
