/// <reference lib="webworker" />
/**
 * The token-holding worker's entry. Tokens exist only in closures reachable from here.
 */
import { serveComlink } from './comlink-server'
import { indexedDbUsable } from './vault'
import { createWorkerApi, guardApi } from './worker-api'

// IndexedDB is opened while `init` is still on its way: it overlaps the worker's start-up.
const indexedDb = indexedDbUsable()
const api = guardApi(createWorkerApi({ origin: self.location.origin, now: () => Date.now(), indexedDb }))
// Only calls of the API's own methods are answered: the page may post anything (comlink-server.ts).
serveComlink({ ...api }, self)
