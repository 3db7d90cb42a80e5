/**
 * `@oauth-enclave/client/worker`: for an app's own worker file, in pinned mode.
 *
 * @module
 */
import { AuthError } from '../shared/errors'
import type { AuthWorkerOptions } from '../shared/types'
import { pinnedResolver } from './pinned-config'
import { startWorker } from './start'

export type { AuthWorkerOptions } from '../shared/types'

/**
 * Runs the SDK's worker with its configuration pinned in this worker's own code (pinned mode).
 * Script in the page, even script that runs before the SDK and rewrites what the page sends, cannot
 * choose the issuer, the client, the redirect URI, where credentials go, whether tokens are
 * DPoP-bound, or where they are kept: options the page gives must agree with these, each of them,
 * or every call fails with a `config_error` naming the option.
 *
 * Call it once, at the top level of a module worker file, and give the page's client that file:
 *
 * @example
 * ```ts
 * // auth.worker.ts
 * import { serveAuthWorker } from '@oauth-enclave/client/worker'
 * import { authOptions } from './auth-options'
 *
 * serveAuthWorker(authOptions)
 *
 * // main.ts
 * import { createAuthClient } from '@oauth-enclave/client'
 * import { authOptions } from './auth-options'
 *
 * export const auth = createAuthClient({
 *   ...authOptions,
 *   worker: (Worker) => new Worker(new URL('./auth.worker.ts', import.meta.url), { type: 'module' }),
 * })
 * ```
 *
 * @throws AuthError `config_error` when called outside a dedicated worker.
 * @see RFC 9700 §2.6 (the allowed targets), RFC 9449 (DPoP)
 */
export function serveAuthWorker(options: AuthWorkerOptions): void {
  const { DedicatedWorkerGlobalScope: Scope } = globalThis as { DedicatedWorkerGlobalScope?: abstract new () => object }
  if (!Scope || !(globalThis instanceof Scope)) {
    throw new AuthError('config_error', 'serveAuthWorker must run in a dedicated worker')
  }
  // A copy: nothing that runs later in this worker can change what was pinned.
  const pinned: AuthWorkerOptions & { worker?: unknown } = { ...options }
  delete pinned.worker
  startWorker(pinnedResolver(structuredClone(pinned)))
}
