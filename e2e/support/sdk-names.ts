/**
 * The names the SDK gives what page script can see: its IndexedDB database and object store, its
 * worker, its liveness locks, its tab-sync channel, the format tag of its sealed records. e2e takes
 * them from here only: from the SDK's own exports where it has them, spelled once here where not.
 */
import { sharedNames } from '../../packages/client/src/worker/shared-names'

export { VAULT_DATABASE, VAULT_STORE } from '../../packages/client/src/worker/vault'

/** The SDK's own name, which each name below starts with. */
const SDK = 'oauth-enclave'

/** The `name` the SDK's worker is created with (packages/client/src/client/default-worker.ts). */
export const SDK_WORKER_NAME = SDK

/** The prefix of the Web Lock each worker holds while it lives (packages/client/src/worker/liveness.ts). */
export const WORKER_LOCK_PREFIX = `${SDK}:worker`

/** The `format` of each sealed vault record (packages/client/src/worker/vault.ts). */
export const SEALED_FORMAT = `${SDK}/vault/v1`

/** The SDK's tab-sync BroadcastChannel for a client (packages/client/src/worker/shared-names.ts). */
export function sdkChannelName(issuer: string, clientId: string): string {
  return sharedNames(issuer, clientId).channel
}
