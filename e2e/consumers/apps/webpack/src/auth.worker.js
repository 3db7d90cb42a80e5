// The app's own token worker (pinned mode): its configuration is this bundle's code.
import { serveAuthWorker } from '@oauth-enclave/client/worker'
import { authOptions } from './auth-options.js'

serveAuthWorker(authOptions)
