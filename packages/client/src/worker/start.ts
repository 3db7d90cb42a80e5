import { serveComlink, type ServerEndpoint } from './comlink-server'
import type { ConfigResolver } from './pinned-config'
import { indexedDbUsable } from './vault'
import { createWorkerApi } from './worker-api'

/**
 * Serves the worker API in this dedicated worker. Tokens exist only in closures reachable from here.
 *
 * @param resolve how `init` turns the page's options into the configuration; default: validated
 *   as they come.
 */
export function startWorker(resolve?: ConfigResolver): void {
  // IndexedDB is opened while `init` is still on its way: it overlaps the worker's start-up.
  const indexedDb = indexedDbUsable()
  // Typed without the WebWorker lib: an app's worker file may be checked with the DOM one.
  const scope = globalThis as unknown as ServerEndpoint &
    EventTarget & { location: { origin: string }; navigator: { onLine: boolean } }
  const api = createWorkerApi({
    origin: scope.location.origin,
    now: () => Date.now(),
    network: { random: Math.random, onLine: () => scope.navigator.onLine, events: scope },
    indexedDb,
    resolve,
  })
  // Only calls of the API's own methods are answered, and only AuthErrors and what a plain `fetch`
  // rejects with leave: the page may post anything (comlink-server.ts, error-transfer.ts).
  serveComlink({ ...api }, scope)
}
