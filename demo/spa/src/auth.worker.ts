/**
 * The demo's token worker, in pinned mode: its configuration is this file's code, which script in
 * the page cannot change.
 */
import { serveAuthWorker } from '@oauth-enclave/client/worker'
import { authOptions } from './auth-options'

serveAuthWorker(authOptions)
