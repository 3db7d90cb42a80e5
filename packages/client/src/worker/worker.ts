/// <reference lib="webworker" />
/**
 * The token-holding worker's entry. Tokens exist only in closures reachable from here.
 */
import { expose } from 'comlink'
import { registerErrorTransfer } from '../shared/error-transfer'
import { guardEndpoint } from './message-guard'
import { createWorkerApi, guardApi } from './worker-api'

registerErrorTransfer()
const api = guardApi(createWorkerApi({ origin: self.location.origin, now: () => Date.now() }))
// Only calls of the API's own methods reach comlink: the page may post anything (message-guard.ts).
expose(api, guardEndpoint(self, Object.keys(api)))
