/**
 * Records every message that crosses the boundary between the page and its workers, in both
 * directions, across navigations: `Worker#postMessage` and the worker's `message` events,
 * `MessagePort#postMessage` and the `message` events of every port the page holds (the state
 * listener's calls and streamed bodies travel on those), the chunks of every `ReadableStream`
 * transferred either way (request and response bodies), and what arrives on the BroadcastChannels a
 * page script could join. Each entry lists every string the message holds, with binary data decoded as latin1, UTF-8
 * and base64url; the entries are sent to the test through a Playwright binding as they happen, so
 * nothing is kept in the page.
 */
import type { Page } from '@playwright/test'
import { decodeBytes } from '../support/bytes'
import { addInitScriptWith } from '../support/in-page'
import { onWorkerCreated } from '../support/worker-capture'

/** An entry starts with its channel, e.g. `[in worker]`; the rest is the strings it held. */
export type BoundaryChannel =
  'out worker' | 'in worker' | 'out port' | 'in port' | 'out stream' | 'in stream' | 'broadcast'

export interface BoundaryLog {
  readonly entries: readonly string[]
  /** The entries of one channel. */
  of(channel: BoundaryChannel): string[]
  /** Everything recorded, as one text to search. */
  text(): string
  /** Waits until the page has reported every stream it was reading. */
  settle(): Promise<void>
}

const BINDING = '__oauthEnclaveBoundary'
const IDLE = '__oauthEnclaveBoundaryIdle'
const SETTLED = '[settled]'

interface RecorderOptions {
  readonly binding: string
  readonly idle: string
  readonly broadcastChannels: readonly string[]
}

/** The helpers the init script is sent with (e2e/support/in-page.ts). */
const helpers = { decodeBytes, onWorkerCreated }

/** The init script. Self-contained but for `helpers`: Playwright sends its source to the page. */
function installRecorder(
  { decodeBytes, onWorkerCreated }: typeof helpers,
  { binding, idle, broadcastChannels }: RecorderOptions,
): void {
  const send = (channel: string, parts: string[]): void => {
    const report = (window as unknown as Record<string, ((entry: string) => Promise<void>) | undefined>)[binding]
    void report?.(`[${channel}]\n${parts.join('\n')}`)
  }
  const pendingReads = new Set<Promise<void>>()
  Object.defineProperty(window, idle, {
    value: async () => {
      while (pendingReads.size > 0) await Promise.allSettled([...pendingReads])
    },
  })

  /** The end of the bytes a channel carried last, so a value split across two messages is found whole. */
  interface Carry {
    tail: Uint8Array
  }
  const OVERLAP = 8192
  const newCarry = (): Carry => ({ tail: new Uint8Array(0) })
  const joinBytes = (carry: Carry | undefined, bytes: Uint8Array): string[] => {
    if (!carry) return decodeBytes(bytes)
    const joined = new Uint8Array(carry.tail.length + bytes.length)
    joined.set(carry.tail)
    joined.set(bytes, carry.tail.length)
    carry.tail = joined.slice(-OVERLAP)
    return decodeBytes(joined)
  }

  /** Reads one branch of a teed stream, reporting each chunk as it arrives. */
  const readStream = (channel: string, stream: ReadableStream<unknown>): void => {
    const carry = newCarry()
    const reading = (async () => {
      try {
        const reader = stream.getReader()
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          const described = describe(value, channel, carry)
          described.walk(value)
          send(channel, described.parts)
        }
      } catch (error) {
        send(channel, [`[stream error] ${String(error)}`])
      }
    })()
    pendingReads.add(reading)
    void reading.finally(() => pendingReads.delete(reading))
  }

  /**
   * Every string `value` holds. Streams are teed: one branch replaces the stream where it was,
   * the other is read for the record; `replaced` maps each original to its stand-in.
   */
  const describe = (value: unknown, direction: string, carry?: Carry) => {
    const parts: string[] = []
    const replaced = new Map<unknown, unknown>()
    const seen = new Set<unknown>()
    const streamChannel = direction.startsWith('out') ? 'out stream' : 'in stream'
    const walk = (item: unknown, depth: number): unknown => {
      if (item === null || item === undefined || depth > 30) return item
      if (typeof item === 'string') parts.push(item)
      else if (typeof item === 'number' || typeof item === 'boolean' || typeof item === 'bigint')
        parts.push(String(item))
      else if (typeof item !== 'object') return item
      else if (seen.has(item)) return replaced.get(item) ?? item
      else {
        seen.add(item)
        if (item instanceof ReadableStream) {
          const [kept, recorded] = item.tee()
          readStream(streamChannel, recorded)
          replaced.set(item, kept)
          return kept
        }
        if (item instanceof MessagePort) {
          if (direction.startsWith('in')) listenTo(item)
          parts.push('[MessagePort]')
        } else if (item instanceof ArrayBuffer) parts.push(...joinBytes(carry, new Uint8Array(item)))
        else if (ArrayBuffer.isView(item))
          parts.push(...joinBytes(carry, new Uint8Array(item.buffer, item.byteOffset, item.byteLength)))
        else if (item instanceof Blob) {
          const reading = item
            .arrayBuffer()
            .then((buffer) => send(`${direction} blob`, decodeBytes(new Uint8Array(buffer))))
          pendingReads.add(reading)
          void reading.finally(() => pendingReads.delete(reading))
        } else if (item instanceof Error) parts.push(item.name, item.message, item.stack ?? '')
        else if (item instanceof Map || item instanceof Set) for (const entry of item) walk(entry, depth + 1)
        else {
          const record = item as Record<string, unknown>
          for (const key of Object.keys(record)) {
            parts.push(key)
            const next = walk(record[key], depth + 1)
            if (next !== record[key]) record[key] = next
          }
        }
      }
      return item
    }
    return { parts, replaced, walk: (root: unknown) => walk(root, 0) }
  }

  /** Records a message on its way out; returns the arguments for the native `postMessage`. */
  const outbound = (channel: string, message: unknown, options: unknown, carry?: Carry): [unknown, unknown] => {
    const described = describe(message, channel, carry)
    const sent = described.walk(message)
    send(channel, described.parts)
    const swap = (list: unknown): unknown =>
      Array.isArray(list) ? list.map((entry) => described.replaced.get(entry) ?? entry) : list
    if (Array.isArray(options)) return [sent, swap(options)]
    if (options && typeof options === 'object' && 'transfer' in options) {
      return [sent, { ...options, transfer: swap((options as { transfer: unknown }).transfer) }]
    }
    return [sent, options]
  }

  const inbound = (channel: string, event: MessageEvent, carry?: Carry): void => {
    const described = describe(event.data, channel, carry)
    described.walk(event.data)
    for (const port of event.ports) listenTo(port)
    send(channel, described.parts)
  }

  const listened = new WeakSet<MessagePort>()
  const listenTo = (port: MessagePort): void => {
    if (listened.has(port)) return
    listened.add(port)
    const carry = newCarry()
    port.addEventListener('message', (event) => inbound('in port', event, carry))
  }

  // Registered from the constructor, before any listener of the page's, so it sees (and tees) each message first.
  onWorkerCreated((worker) => worker.addEventListener('message', (event) => inbound('in worker', event)))
  const nativeWorkerPost = Worker.prototype.postMessage
  Worker.prototype.postMessage = function (this: Worker, message: unknown, options?: unknown): void {
    const [sent, rest] = outbound('out worker', message, options)
    nativeWorkerPost.call(this, sent, rest as StructuredSerializeOptions)
  }

  const nativePortPost = MessagePort.prototype.postMessage
  const outgoing = new WeakMap<MessagePort, Carry>()
  MessagePort.prototype.postMessage = function (this: MessagePort, message: unknown, options?: unknown): void {
    const carry = outgoing.get(this) ?? newCarry()
    outgoing.set(this, carry)
    const [sent, rest] = outbound('out port', message, options, carry)
    nativePortPost.call(this, sent, rest as StructuredSerializeOptions)
  }

  const NativeChannel = window.MessageChannel
  window.MessageChannel = class RecordedChannel extends NativeChannel {
    constructor() {
      super()
      listenTo(this.port1)
      listenTo(this.port2)
    }
  }

  for (const name of broadcastChannels) {
    const channel = new BroadcastChannel(name)
    channel.onmessage = (event) => {
      const described = describe(event.data, 'broadcast')
      described.walk(event.data)
      send('broadcast', described.parts)
    }
  }
}

/**
 * Installs the recorder in every document the page loads from now on. `broadcastChannels`: the
 * names a page script could join to overhear the workers (the SDK's tab-sync channel).
 */
export async function recordBoundary(page: Page, broadcastChannels: string[]): Promise<BoundaryLog> {
  const entries: string[] = []
  await page.exposeFunction(BINDING, (entry: string) => {
    if (entry !== SETTLED) entries.push(entry)
  })
  await addInitScriptWith(page, helpers, installRecorder, { binding: BINDING, idle: IDLE, broadcastChannels })
  return {
    entries,
    of: (channel) => entries.filter((entry) => entry.startsWith(`[${channel}]\n`)),
    text: () => entries.join('\n'),
    async settle() {
      await page.evaluate(
        async ({ idle, binding, settled }) => {
          const page = window as unknown as Record<string, (entry?: string) => Promise<void>>
          await page[idle]!()
          // Answered only after the test has handled it, and so every report sent before it.
          await page[binding]!(settled)
        },
        { idle: IDLE, binding: BINDING, settled: SETTLED },
      )
    },
  }
}
