/**
 * The package's own worker (quick-start mode): its configuration comes from the page's first
 * `init`. Pinned mode uses `serve-auth-worker.ts` from a worker file of the app's instead.
 */
import { startWorker } from './start'

startWorker()
