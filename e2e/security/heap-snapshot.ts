/**
 * V8 heap snapshots over the Chrome DevTools Protocol: of the page's main thread, and of its
 * dedicated workers, which get no CDP session of their own (`newCDPSession` refuses them): they are
 * reached through the page's session, with `Target.setAutoAttach` and `Target.sendMessageToTarget`.
 *
 * A snapshot collects garbage first: it proves a string is not retained, not that it never passed.
 * The boundary recorder (`boundary-recorder.ts`) covers what only passed through.
 */
import type { CDPSession, Page } from '@playwright/test'

/**
 * V8 writes at most this many characters of each string into a snapshot
 * (`--heap-snapshot-string-limit`, default 1024); a longer token is found by this prefix.
 */
export const SNAPSHOT_STRING_LIMIT = 1024

/** What to look for in a snapshot for each token: the token, or its first {@link SNAPSHOT_STRING_LIMIT} characters. */
export function snapshotNeedle(token: string): string {
  return token.slice(0, SNAPSHOT_STRING_LIMIT)
}

/** Which of `tokens` a snapshot holds. */
export function tokensInSnapshot(snapshot: string, tokens: string[]): string[] {
  return tokens.filter((token) => snapshot.includes(snapshotNeedle(token)))
}

/** Sends CDP commands to one target, directly or through `Target.sendMessageToTarget`. */
interface Channel {
  send(method: string, params?: object): Promise<unknown>
  /** Calls `listener` with the params of every `method` event until the returned function is called. */
  on(method: string, listener: (params: unknown) => void): () => void
}

function pageChannel(cdp: CDPSession): Channel {
  return {
    send: (method, params) => cdp.send(method as 'HeapProfiler.enable', params as never),
    on(method, listener) {
      cdp.on(method as 'HeapProfiler.addHeapSnapshotChunk', listener)
      return () => cdp.off(method as 'HeapProfiler.addHeapSnapshotChunk', listener)
    },
  }
}

interface TargetMessage {
  id?: number
  method?: string
  params?: unknown
  result?: unknown
  error?: { message: string }
}

/** A worker reached through the page's session (`flatten: false`: JSON messages inside `Target.*`). */
function workerChannel(cdp: CDPSession, sessionId: string): Channel {
  let nextId = 1
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  const listeners = new Map<string, Set<(params: unknown) => void>>()
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return
    const message = JSON.parse(event.message) as TargetMessage
    if (message.id !== undefined) {
      const waiter = pending.get(message.id)
      pending.delete(message.id)
      if (message.error) waiter?.reject(new Error(message.error.message))
      else waiter?.resolve(message.result)
    } else if (message.method) {
      for (const listener of listeners.get(message.method) ?? []) listener(message.params)
    }
  })
  return {
    send(method, params = {}) {
      const id = nextId++
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        cdp
          .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) })
          .catch(reject)
      })
    },
    on(method, listener) {
      const set = listeners.get(method) ?? new Set()
      listeners.set(method, set)
      set.add(listener)
      return () => set.delete(listener)
    },
  }
}

/** Collects garbage, then takes a snapshot and returns it as the JSON text V8 wrote. */
async function snapshot(channel: Channel): Promise<string> {
  const chunks: string[] = []
  const stop = channel.on('HeapProfiler.addHeapSnapshotChunk', (params) =>
    chunks.push((params as { chunk: string }).chunk),
  )
  try {
    await channel.send('HeapProfiler.enable')
    await channel.send('HeapProfiler.collectGarbage')
    await channel.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false })
  } finally {
    stop()
  }
  const text = chunks.join('')
  // A snapshot is one JSON document with a `strings` table; anything less means a broken capture.
  if (!text.startsWith('{') || !text.includes('"strings":[')) throw new Error('heap snapshot: incomplete capture')
  return text
}

/** A heap snapshot of the page's main thread (its own isolate: workers are not in it). */
export async function mainThreadHeapSnapshot(page: Page): Promise<string> {
  const cdp = await page.context().newCDPSession(page)
  try {
    return await snapshot(pageChannel(cdp))
  } finally {
    await cdp.detach()
  }
}

export interface WorkerSnapshot {
  readonly url: string
  readonly snapshot: string
}

/**
 * A heap snapshot of each dedicated worker of the page whose script URL matches `urlPattern`,
 * through `Target.setAutoAttach` on a page session.
 */
export async function workerHeapSnapshots(page: Page, urlPattern: RegExp): Promise<WorkerSnapshot[]> {
  const cdp = await page.context().newCDPSession(page)
  try {
    const attached: { sessionId: string; url: string }[] = []
    cdp.on('Target.attachedToTarget', ({ sessionId, targetInfo }) => {
      if (targetInfo.type === 'worker') attached.push({ sessionId, url: targetInfo.url })
    })
    // Workers that already run are attached, and announced, before this command returns.
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false })
    const results: WorkerSnapshot[] = []
    for (const { sessionId, url } of attached.filter((worker) => urlPattern.test(worker.url))) {
      results.push({ url, snapshot: await snapshot(workerChannel(cdp, sessionId)) })
    }
    return results
  } finally {
    await cdp.detach()
  }
}
