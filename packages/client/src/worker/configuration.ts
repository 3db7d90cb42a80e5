/**
 * The worker's composition root: from the validated options to the provider context, the vault,
 * the session and the allowlist, built once by `init` and fixed for the worker's life.
 */
import { discover } from '../protocol/discovery'
import { providerSupportsDPoP } from '../protocol/dpop'
import { publicClient, type ProviderContext } from '../protocol/provider'
import { createTargetSelector } from '../shared/allowlist'
import { AuthError } from '../shared/errors'
import type { AuthState, Persistence } from '../shared/types'
import type { StateListener, WireOptions } from '../shared/wire'
import { createBackoff, type BackoffDeps } from './backoff'
import { resolveConfig, type ResolvedConfig } from './config'
import { createIdleClock, type IdleClock } from './idle'
import { revokeSession } from './logout'
import type { ConfigResolver } from './pinned-config'
import { LOCK_WAIT_MS, withRefreshLock } from './refresh-lock'
import { createResourceFetcher, type ResourceFetcher } from './resource-fetch'
import { createSession, type Session } from './session'
import { createSessionHold, NO_SESSION_HOLD } from './session-hold'
import { sharedNames } from './shared-names'
import { createTabSync, NO_TAB_SYNC } from './tab-sync'
import { createIndexedDbVault, createMemoryVault, indexedDbUsable, type Vault } from './vault'

/** Everything fixed by `init`. Lives in the worker's closures only: nothing on the exposed object. */
export interface Configured {
  readonly config: ResolvedConfig
  /** What is in effect: `memory` when IndexedDB is unusable, whatever was asked. */
  readonly persistence: Persistence
  /** Whether IndexedDB works here. */
  readonly storable: boolean
  /** The provider's metadata, discovered on first use and kept; a failed discovery is tried again. */
  readonly provider: () => Promise<ProviderContext>
  /**
   * The encrypted IndexedDB vault (worker memory when IndexedDB is unusable): login transactions
   * always, and the session in `indexeddb` persistence.
   */
  readonly vault: Vault
  readonly session: Session
  /** The worker's `fetch`: credentials for allowed targets only. */
  readonly resources: ResourceFetcher
  /** `null` without `idleTimeoutSeconds`. */
  readonly idle: IdleClock | null
  /** The state as the page sees it: the session's, with the persistence and the idle warning. */
  state(): Promise<AuthState>
}

export interface WorkerEnvironment {
  /** The worker's own origin: the page's, for a dedicated worker. */
  readonly origin: string
  readonly now: () => number
  /** What the refresh backoff draws its jitter from, reads `navigator.onLine` from, and hears `online` on. */
  readonly network: Omit<BackoffDeps, 'now'>
  /**
   * Whether IndexedDB works here ({@link indexedDbUsable}), when already being found out: the
   * worker starts the probe before `init` arrives. Probed during `init` otherwise.
   */
  readonly indexedDb?: Promise<boolean>
  /** How the page's options become the configuration: {@link resolveConfig}, or pinned mode's. */
  readonly resolve?: ConfigResolver
}

function discoverOnce(config: ResolvedConfig): () => Promise<ProviderContext> {
  let pending: Promise<ProviderContext> | undefined
  return () => {
    pending ??= discover(config.issuer, config.clientId, config.providerTimeoutMs).catch((error: unknown) => {
      pending = undefined
      throw error
    })
    return pending
  }
}

/**
 * Whether logins use DPoP: as configured, or, left unset, whenever the provider advertises it.
 *
 * @throws AuthError `config_error` for `dpop: true` at a provider that does not advertise it.
 * @see RFC 9449 §5.1
 */
export async function dpopInEffect(c: Configured): Promise<boolean> {
  const supported = providerSupportsDPoP(await c.provider())
  if (c.config.dpop === true && !supported) {
    throw new AuthError('config_error', 'dpop: the provider does not offer DPoP (RFC 9449 §5.1)')
  }
  return c.config.dpop ?? supported
}

/** Validates the page's options and builds everything that depends on them. */
export async function configure(
  options: WireOptions,
  onState: StateListener,
  serviceWorker: string | null | undefined,
  env: WorkerEnvironment,
): Promise<Configured> {
  // The page is not trusted: its options are validated here, and only here.
  const config = (env.resolve ?? resolveConfig)(options, env.origin)
  // A service worker sees every response of this worker's requests, tokens included, and can serve
  // it another script: only one the app declared may be there.
  if (serviceWorker != null && !config.dangerouslyAllowServiceWorkers.includes(serviceWorker)) {
    throw new AuthError('config_error', `${serviceWorker} is not in dangerouslyAllowServiceWorkers`)
  }
  // Some private modes block IndexedDB: the client then keeps everything in worker memory.
  const storable = await (env.indexedDb ?? indexedDbUsable())
  const persistence: Persistence = storable ? config.persistence : 'memory'
  if (!storable) {
    console.warn('oauth-enclave: IndexedDB is unavailable; the session lives in worker memory only')
  }
  const vault = storable ? createIndexedDbVault(config.issuer, config.clientId) : createMemoryVault()
  const shared = persistence === 'indexeddb'
  const names = sharedNames(config.issuer, config.clientId)
  const sessionVault = shared ? vault : createMemoryVault()
  const decorate = (state: AuthState): AuthState => ({
    ...state,
    persistence,
    ...(idle && { idleWarning: idle.warning() }),
  })
  const emit = (state: AuthState): void => {
    // Whatever the page's listener does, the session code that emits goes on.
    try {
      onState(decorate(state))
    } catch {
      // nothing to do: the page is told nothing more
    }
  }
  const provider = discoverOnce(config)
  const tabs = shared
    ? createTabSync(
        names.channel,
        (reason) => void session.onTabHint(reason),
        () => void idle?.activity(true),
      )
    : NO_TAB_SYNC
  const hold = shared ? createSessionHold(names.sessionHold, () => session.onHoldLost()) : NO_SESSION_HOLD
  const session: Session = createSession({
    vault: sessionVault,
    shared,
    provider,
    client: publicClient(config.clientId).client,
    leewayMs: config.refreshLeewaySeconds * 1000,
    now: env.now,
    emit,
    withLock: (task, steal) => withRefreshLock(names.refreshLock, task, { waitMs: LOCK_WAIT_MS, steal }),
    broadcast: (message) => tabs.post(message),
    hold,
    backoff: createBackoff({ ...env.network, now: env.now }),
  })
  const idle =
    config.idleTimeoutSeconds === null
      ? null
      : createIdleClock({
          timeoutMs: config.idleTimeoutSeconds * 1000,
          warningMs: config.idleWarningSeconds * 1000,
          now: env.now,
          vault: sessionVault,
          session,
          broadcast: (message) => tabs.post(message),
          emit,
          revoke: async (ended) => revokeSession(await provider(), ended),
        })
  if (!storable) emit(await session.state())
  // Reading and decrypting the stored session needs no network: start it now, so that the first
  // call after a page load does not wait for it.
  else void session.state().catch(() => undefined)
  // Before any call is answered: a session left idle too long while no tab ran must not be used.
  await idle?.start().catch(() => {})
  const resources = createResourceFetcher({ session, targetOf: createTargetSelector(config.allowedOrigins) })
  const state = async (): Promise<AuthState> => decorate(await session.state())
  return { config, persistence, storable, provider, vault, session, resources, idle, state }
}
