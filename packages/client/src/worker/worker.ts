/// <reference lib="webworker" />
/**
 * The token-holding worker's entry. Tokens exist only in closures reachable from here.
 */
import { expose } from 'comlink'
import { registerErrorTransfer } from '../shared/error-transfer'
import { createWorkerApi, guardApi } from './worker-api'

registerErrorTransfer()
expose(guardApi(createWorkerApi({ origin: self.location.origin, now: () => Date.now() })))
