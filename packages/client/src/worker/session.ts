import type { Client, DPoPHandle } from 'oauth4webapi'
import { createDPoPHandle } from '../protocol/dpop'
import type { ProviderContext } from '../protocol/provider'
import { refreshTokens, type TokenSet } from '../protocol/tokens'
import { AuthError, isAuthError, type AuthErrorCode } from '../shared/errors'
import type { AuthState } from '../shared/types'
import { transientFailure, type Backoff } from './backoff'
import type { ApiConfig } from './config'
import type { SessionHold } from './session-hold'
import {
  isDPoPKeyPair,
  parseSessionRecord,
  SESSION_KEYS_RECORD,
  SESSION_RECORD,
  type SessionRecord,
} from './vault-records'
import type { HintReason, TabMessage } from './tab-sync'
import type { Vault } from './vault'

/**
 * The tokens in use and the DPoP handle that signs for them. Never leaves the worker. What
 * {@link Session.active} returns for an API is the same session seen through that API's token:
 * `tokens` is the API's, `dpop` is `null` for an API that takes Bearer tokens.
 */
export interface ActiveSession {
  /** Stays the same across refreshes: see {@link SessionRecord}. */
  readonly sessionId: string
  readonly tokens: TokenSet
  readonly keys: CryptoKeyPair | null
  readonly dpop: DPoPHandle | null
  /** Each API's own token ({@link ApiConfig}), by its key; obtained on first use. */
  readonly apis: Readonly<Record<string, TokenSet>>
}

export interface SessionDeps {
  /** Where the session is kept: encrypted IndexedDB, or worker memory. */
  readonly vault: Vault
  /** Whether other tabs share the vault, so it must be re-read under the lock. */
  readonly shared: boolean
  readonly provider: () => Promise<ProviderContext>
  /** The client as DPoP proofs need it; known without discovery. */
  readonly client: Client
  readonly leewayMs: number
  readonly now: () => number
  readonly emit: (state: AuthState) => void
  /**
   * Runs `task` under the cross-tab session lock; every write to the vault's session, and every
   * erase, goes through it. The wait is bounded; `steal` takes the lock once it is over.
   */
  readonly withLock: <T>(task: () => Promise<T>, steal?: boolean) => Promise<T>
  readonly broadcast: (message: TabMessage) => void
  readonly hold: SessionHold
  /** When a refresh may be tried again after a transient failure; one for the tab. */
  readonly backoff: Backoff
}

/**
 * Whether a token must be refreshed before use at `now`: within `leewayMs` of expiry, the leeway
 * capped at half the token's lifetime so that short-lived tokens are not refreshed on every call.
 */
export function refreshDue(tokens: Pick<TokenSet, 'expiresAt' | 'receivedAt'>, now: number, leewayMs: number): boolean {
  if (tokens.expiresAt === null) return false
  const lifetime = Math.max(0, tokens.expiresAt - tokens.receivedAt)
  return now >= tokens.expiresAt - Math.min(leewayMs, lifetime / 2)
}

/** What {@link readVault} finds when the stored session cannot be used: erased, then no session. */
const UNUSABLE = Symbol('unusable')

const SIGNED_OUT: AuthState = { authenticated: false, user: null, expiresAt: null, tokenType: null }

function signedOut(reason: AuthErrorCode | null): AuthState {
  return reason === null ? SIGNED_OUT : { ...SIGNED_OUT, reason }
}

/** The parameters of an API's `refresh_token` grant (RFC 6749 §6, RFC 8707 §2). */
function grantParams(api: ApiConfig): [string, string][] {
  return [
    ...(api.scope === null ? [] : [['scope', api.scope] as [string, string]]),
    ...api.resource.map((resource): [string, string] => ['resource', resource]),
    ...Object.entries(api.tokenParams),
  ]
}

/** `session` as `api` uses it; `null` when the API has no token yet. */
function credentialOf(session: ActiveSession, api: ApiConfig | null): ActiveSession | null {
  if (!api) return session
  const tokens = session.apis[api.key]
  return tokens ? { ...session, tokens, dpop: api.dpop ? session.dpop : null } : null
}

/**
 * Whether a record holds exactly the tokens `session` holds. A grant that rotated the refresh token
 * also changed an access token: comparing those is enough.
 */
function holdsSame(session: ActiveSession, record: SessionRecord): boolean {
  const accessTokens = (apis: Readonly<Record<string, TokenSet>>): string =>
    JSON.stringify(Object.entries(apis).map(([key, tokens]) => [key, tokens.accessToken]))
  return (
    session.sessionId === record.sessionId &&
    session.tokens.accessToken === record.tokens.accessToken &&
    accessTokens(session.apis) === accessTokens(record.apis)
  )
}

function stateOf(session: ActiveSession | null): AuthState {
  if (!session) return SIGNED_OUT
  const { tokens } = session
  return { authenticated: true, user: tokens.claims, expiresAt: tokens.expiresAt, tokenType: tokens.tokenType }
}

/**
 * Whether a refresh failure means the grant is gone for good: RFC 6749 §5.2 `invalid_grant`, or a
 * 400 or 401 with no OAuth error at all, as providers that answer a refused refresh token with an
 * empty or HTML body do. 429, 5xx, timeouts and network failures keep the session ({@link transientFailure}).
 */
function endsSession(error: unknown): boolean {
  if (isAuthError(error, 'login_required')) return true
  if (isAuthError(error, 'token_error') && error.oauthError === 'invalid_grant') return true
  const refused = isAuthError(error) && (error.status === 400 || error.status === 401)
  return refused && (error.code === 'invalid_response' || (error.code === 'token_error' && !error.oauthError))
}

/**
 * The session: loading it, refreshing it with one request however many callers ask at once, in
 * this tab and across tabs, and ending it everywhere.
 */
export interface Session {
  /** The state the page sees, once the vault has been read. */
  state(): Promise<AuthState>
  /**
   * A session whose access token is good for at least the leeway, refreshing first if needed;
   * with `api`, that API's token, obtained first if it has none.
   *
   * @throws AuthError `login_required` when there is no session or it ended; for `api`, what its
   *   grant failed with (`token_error` with `invalid_target` or `invalid_scope`: the session stays).
   */
  active(api?: ApiConfig | null): Promise<ActiveSession>
  /** Whether the login `session` belongs to is still in force: checked right before a token is sent. */
  isCurrent(session: ActiveSession): boolean
  /**
   * Refreshes unless the access token differs from `staleAccessToken` and is still fresh; with
   * `api`, that API's token (`null`: it has none yet). Callers in this tab share one request per
   * token; other tabs wait on the lock and reuse its result. Every grant takes the lock: each may
   * rotate the one refresh token they all share (RFC 9700 §4.14.2).
   */
  refresh(staleAccessToken: string | null, api?: ApiConfig | null): Promise<ActiveSession>
  /** Stores a new session from a login, replacing any previous one. */
  replace(tokens: TokenSet, keys: CryptoKeyPair | null): Promise<void>
  /**
   * Ends the session in every tab and resolves once no other tab can still send a token.
   *
   * @returns what was active, for revocation.
   */
  end(reason: AuthErrorCode | null): Promise<ActiveSession | null>
  /** Another tab announced a change: read the vault again (see {@link createTabSync}). */
  onTabHint(reason: HintReason): Promise<void>
  /** This tab's hold was taken by a logout elsewhere. */
  onHoldLost(): void
}

export function createSession(deps: SessionDeps): Session {
  /** The session in this worker's memory; `null` when signed out or not yet read. */
  let current: ActiveSession | null = null
  /** The first read of the vault; once settled, `current` is what this worker knows. */
  let loading: Promise<void> | undefined
  /** The refreshes in flight in this tab, one per token (`''`: the session's), which every caller shares. */
  const refreshing = new Map<string, Promise<ActiveSession>>()

  function setCurrent(session: ActiveSession | null): void {
    current = session
    if (session) deps.hold.acquire()
    else deps.hold.release()
  }

  /** `current` is now known for certain: no first read of the vault is needed any more. */
  function settle(session: ActiveSession | null): void {
    setCurrent(session)
    loading = Promise.resolve()
  }

  function bind(record: SessionRecord, keys: CryptoKeyPair | null): ActiveSession {
    const { sessionId, tokens, apis } = record
    // The same login keeps its DPoP handle, and with it the nonces the servers gave it.
    if (current && current.sessionId === sessionId) return { ...current, tokens, apis }
    const dpop = tokens.tokenType === 'DPoP' && keys ? createDPoPHandle(deps.client, keys) : null
    return { sessionId, tokens, keys, dpop, apis }
  }

  function recordOf(session: ActiveSession): SessionRecord {
    return { sessionId: session.sessionId, tokens: session.tokens, apis: session.apis }
  }

  /**
   * Reads the session record and its DPoP keys, in one IndexedDB transaction (a login writes both
   * in one too). {@link UNUSABLE}: undecryptable, malformed, keys the worker would not have made, or
   * a DPoP session without its keys.
   */
  async function readVault(): Promise<ActiveSession | null | typeof UNUSABLE> {
    let stored: { value: unknown; keys: unknown }
    try {
      stored = await deps.vault.readWithKeys(SESSION_RECORD, SESSION_KEYS_RECORD)
    } catch (error) {
      if (!isAuthError(error, 'login_required')) throw error
      return UNUSABLE
    }
    if (stored.value === undefined) return null
    const record = parseSessionRecord(stored.value)
    const keys = record?.tokens.tokenType === 'DPoP' ? stored.keys : null
    if (!record || (keys !== null && !isDPoPKeyPair(keys))) return UNUSABLE
    if (current && holdsSame(current, record)) return current
    return bind(record, keys)
  }

  /**
   * The session the vault holds. What cannot be used is erased, but only under the lock and after
   * reading again: another tab may be writing it right now.
   *
   * @param locked whether the caller already holds the lock.
   */
  async function loadVault(locked: boolean): Promise<ActiveSession | null> {
    const found = await readVault()
    if (found !== UNUSABLE) return found
    if (!locked) return deps.withLock(() => loadVault(true))
    await deps.vault.remove(SESSION_RECORD, SESSION_KEYS_RECORD)
    deps.emit(signedOut('login_required'))
    return null
  }

  function ready(): Promise<void> {
    loading ??= loadVault(false).then(setCurrent, (error: unknown) => {
      loading = undefined
      throw error
    })
    return loading
  }

  /** Ends the session; the caller holds the lock. */
  async function endLocked(reason: AuthErrorCode | null): Promise<ActiveSession | null> {
    const ended = current
    settle(null)
    await deps.vault.remove(SESSION_RECORD, SESSION_KEYS_RECORD)
    deps.broadcast({ type: 'ended', reason })
    if (ended || reason !== null) deps.emit(signedOut(reason))
    return ended
  }

  async function refreshUnderLock(staleAccessToken: string | null, api: ApiConfig | null): Promise<ActiveSession> {
    const credential = await deps.withLock(async () => {
      // Another tab may have refreshed while this one waited for the lock: its rotated refresh
      // token is in the vault and the one held here is already spent (RFC 9700 §4.14.2).
      if (deps.shared) setCurrent(await loadVault(true))
      const session = current
      if (!session) throw new AuthError('login_required', 'the session has ended')
      const held = credentialOf(session, api)
      if (held && held.tokens.accessToken !== staleAccessToken && !refreshDue(held.tokens, deps.now(), deps.leewayMs)) {
        return held
      }
      let next: TokenSet
      try {
        next = await refreshTokens(await deps.provider(), session.tokens, {
          dpop: session.dpop,
          now: deps.now,
          ...(api && { params: grantParams(api) }),
        })
      } catch (error) {
        // An API's grant refused for its scope or resource leaves the session as it is.
        if (!endsSession(error)) throw error
        await endLocked('login_required')
        return null
      }
      const updated: ActiveSession = api
        ? {
            ...session,
            // The grant may have rotated the refresh token every grant of the session uses.
            tokens: { ...session.tokens, refreshToken: next.refreshToken },
            apis: { ...session.apis, [api.key]: { ...next, refreshToken: null, idToken: null, claims: null } },
          }
        : { ...session, tokens: next }
      // Stored before the lock is released: the next tab must read the rotated refresh token.
      await deps.vault.write(SESSION_RECORD, recordOf(updated))
      setCurrent(updated)
      deps.broadcast({ type: 'changed' })
      if (!api) deps.emit(stateOf(updated))
      return credentialOf(updated, api)
    })
    if (credential) return credential
    await deps.hold.waitForOthers()
    throw new AuthError('login_required', 'the provider ended the session')
  }

  /**
   * Another tab said something changed, or took this tab's hold: a hint to read the vault again,
   * never an order. Script of the origin can post on the channel and take any lock, so only what
   * the vault holds decides whether this tab is signed in.
   *
   * @param reason the sign-out reason the hint gave, told to the page only if the session is gone.
   */
  async function reloadAfterHint(reason: HintReason): Promise<void> {
    const before = current
    settle(await loadVault(false))
    if (current === before) return
    deps.emit(current || !reason ? stateOf(current) : signedOut(reason))
  }

  /**
   * One refresh, unless one failed for a transient reason a moment ago: then the provider is not
   * asked before the backoff's wait is over, and every caller meanwhile gets `network_error` at
   * once. Such a failure never ends the session; only the provider's answer does (`endsSession`).
   */
  async function refreshUnlessWaiting(staleAccessToken: string | null, api: ApiConfig | null): Promise<ActiveSession> {
    if (deps.backoff.waiting()) throw new AuthError('network_error', 'refresh: the provider failed a moment ago')
    try {
      const session = await refreshUnderLock(staleAccessToken, api)
      deps.backoff.reset()
      return session
    } catch (error) {
      const transient = transientFailure(error)
      if (!transient) throw error
      deps.backoff.failed()
      throw transient
    }
  }

  function refresh(staleAccessToken: string | null, api: ApiConfig | null = null): Promise<ActiveSession> {
    const key = api?.key ?? ''
    let pending = refreshing.get(key)
    if (!pending) {
      pending = refreshUnlessWaiting(staleAccessToken, api).finally(() => refreshing.delete(key))
      refreshing.set(key, pending)
    }
    return pending
  }

  return {
    async state(): Promise<AuthState> {
      await ready()
      return stateOf(current)
    },

    async active(api: ApiConfig | null = null): Promise<ActiveSession> {
      await ready()
      const session = current
      if (!session) throw new AuthError('login_required', 'no session')
      const held = credentialOf(session, api)
      if (held && !refreshDue(held.tokens, deps.now(), deps.leewayMs)) return held
      return refresh(held?.tokens.accessToken ?? null, api)
    },

    isCurrent(session: ActiveSession): boolean {
      return current !== null && current.sessionId === session.sessionId
    },

    refresh,

    async replace(tokens: TokenSet, keys: CryptoKeyPair | null): Promise<void> {
      await ready().catch(() => undefined)
      const session = bind({ sessionId: crypto.randomUUID(), tokens, apis: {} }, keys)
      await deps.withLock(async () => {
        // The record and its keys in one IndexedDB transaction: no tab can read one without the other.
        await deps.vault.write(SESSION_RECORD, recordOf(session), { name: SESSION_KEYS_RECORD, pair: keys })
        settle(session)
      })
      deps.broadcast({ type: 'changed' })
      deps.emit(stateOf(session))
    },

    async end(reason: AuthErrorCode | null): Promise<ActiveSession | null> {
      await ready().catch(() => undefined)
      // A logout must complete: once the wait is over, the lock is taken from whoever holds it.
      const ended = await deps.withLock(async () => {
        // What is revoked must be the newest: another tab may have refreshed a moment ago.
        if (deps.shared) setCurrent(await loadVault(true).catch(() => current))
        return endLocked(reason)
      }, true)
      await deps.hold.waitForOthers()
      return ended
    },

    onTabHint: reloadAfterHint,

    onHoldLost: () => void reloadAfterHint(null).catch(() => settle(null)),
  }
}
