/// <reference lib="webworker" />
/**
 * The token-holding worker's entry. Tokens exist only in closures reachable from here.
 */
import { serveComlink } from './comlink-server'
import { createWorkerApi, guardApi } from './worker-api'

const api = guardApi(createWorkerApi({ origin: self.location.origin, now: () => Date.now() }))
// Only calls of the API's own methods are answered: the page may post anything (comlink-server.ts).
serveComlink({ ...api }, self)
