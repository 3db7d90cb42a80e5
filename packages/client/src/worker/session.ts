import type { Client, DPoPHandle } from 'oauth4webapi'
import { createDPoPHandle } from '../protocol/dpop'
import type { ProviderContext } from '../protocol/provider'
import { refreshTokens, type TokenSet } from '../protocol/tokens'
import { AuthError, isAuthError, type AuthErrorCode } from '../shared/errors'
import type { AuthState } from '../shared/types'
import type { SessionHold } from './session-hold'
import { parseSessionRecord, SESSION_KEYS_RECORD, SESSION_RECORD, type SessionRecord } from './vault-records'
import type { TabMessage } from './tab-sync'
import type { Vault } from './vault'

/** The tokens in use and the DPoP handle that signs for them. Never leaves the worker. */
export interface ActiveSession {
  /** Stays the same across refreshes: see {@link SessionRecord}. */
  readonly sessionId: string
  readonly tokens: TokenSet
  readonly keys: CryptoKeyPair | null
  readonly dpop: DPoPHandle | null
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
  /** Runs `task` under the cross-tab session lock; every write to the vault's session goes through it. */
  readonly withLock: <T>(task: () => Promise<T>) => Promise<T>
  readonly broadcast: (message: TabMessage) => void
  readonly hold: SessionHold
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

const SIGNED_OUT: AuthState = { authenticated: false, user: null, expiresAt: null, tokenType: null }

function signedOut(reason: AuthErrorCode | null): AuthState {
  return reason === null ? SIGNED_OUT : { ...SIGNED_OUT, reason }
}

function stateOf(session: ActiveSession | null): AuthState {
  if (!session) return SIGNED_OUT
  const { tokens } = session
  return { authenticated: true, user: tokens.claims, expiresAt: tokens.expiresAt, tokenType: tokens.tokenType }
}

/** Whether a refresh failure means the grant is gone for good (RFC 6749 §5.2 `invalid_grant`). */
function endsSession(error: unknown): boolean {
  return (
    isAuthError(error, 'login_required') || (isAuthError(error, 'token_error') && error.oauthError === 'invalid_grant')
  )
}

/**
 * The session: loading it, refreshing it with one request however many callers ask at once, in
 * this tab and across tabs, and ending it everywhere.
 */
export interface Session {
  /** The state the page sees, once the vault has been read. */
  state(): Promise<AuthState>
  /**
   * A session whose access token is good for at least the leeway, refreshing first if needed.
   *
   * @throws AuthError `login_required` when there is no session or it ended.
   */
  active(): Promise<ActiveSession>
  /** Whether the login `session` belongs to is still in force: checked right before a token is sent. */
  isCurrent(session: ActiveSession): boolean
  /**
   * Refreshes unless the access token differs from `staleAccessToken` and is still fresh. Callers
   * in this tab share one request; other tabs wait on the lock and reuse its result.
   */
  refresh(staleAccessToken: string): Promise<ActiveSession>
  /** Stores a new session from a login, replacing any previous one. */
  replace(tokens: TokenSet, keys: CryptoKeyPair | null): Promise<void>
  /**
   * Ends the session in every tab and resolves once no other tab can still send a token.
   *
   * @returns what was active, for revocation.
   */
  end(reason: AuthErrorCode | null): Promise<ActiveSession | null>
  /** Applies what another tab announced. */
  onTabMessage(message: TabMessage): Promise<void>
  /** This tab's hold was taken by a logout elsewhere. */
  onHoldLost(): void
}

export function createSession(deps: SessionDeps): Session {
  /** The session in this worker's memory; `null` when signed out or not yet read. */
  let current: ActiveSession | null = null
  /** The first read of the vault; once settled, `current` is what this worker knows. */
  let loading: Promise<void> | undefined
  /** The refresh in flight in this tab, which every caller shares. */
  let refreshing: Promise<ActiveSession> | undefined

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

  function bind(sessionId: string, tokens: TokenSet, keys: CryptoKeyPair | null): ActiveSession {
    // The same login keeps its DPoP handle, and with it the nonces the servers gave it.
    if (current && current.sessionId === sessionId) return { ...current, tokens }
    const dpop = tokens.tokenType === 'DPoP' && keys ? createDPoPHandle(deps.client, keys) : null
    return { sessionId, tokens, keys, dpop }
  }

  function recordOf(session: Pick<ActiveSession, 'sessionId' | 'tokens'>): SessionRecord {
    return { sessionId: session.sessionId, tokens: session.tokens }
  }

  /** Reads the vault; an unreadable or inconsistent record is erased and reads as no session. */
  async function readVault(): Promise<ActiveSession | null> {
    let record: SessionRecord | null
    let keys: CryptoKeyPair | undefined
    try {
      // Read alongside the record, one IndexedDB round trip less on a page load; used, and its
      // failure counted, only for a DPoP session.
      const storedKeys = deps.vault.readKeys(SESSION_KEYS_RECORD)
      storedKeys.catch(() => undefined)
      const stored = await deps.vault.read(SESSION_RECORD)
      if (stored === undefined) return null
      record = parseSessionRecord(stored)
      keys = record?.tokens.tokenType === 'DPoP' ? await storedKeys : undefined
    } catch (error) {
      if (!isAuthError(error, 'login_required')) throw error
      record = null
    }
    if (!record || (record.tokens.tokenType === 'DPoP' && !keys)) {
      await deps.vault.remove(SESSION_RECORD, SESSION_KEYS_RECORD)
      deps.emit(signedOut('login_required'))
      return null
    }
    if (current && current.tokens.accessToken === record.tokens.accessToken) return current
    return bind(record.sessionId, record.tokens, keys ?? null)
  }

  function ready(): Promise<void> {
    loading ??= readVault().then(setCurrent, (error: unknown) => {
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

  async function refreshUnderLock(staleAccessToken: string): Promise<ActiveSession> {
    const session = await deps.withLock(async () => {
      // Another tab may have refreshed while this one waited for the lock: its rotated refresh
      // token is in the vault and the one held here is already spent (RFC 9700 §4.14.2).
      if (deps.shared) setCurrent(await readVault())
      const session = current
      if (!session) throw new AuthError('login_required', 'the session has ended')
      const { tokens } = session
      if (tokens.accessToken !== staleAccessToken && !refreshDue(tokens, deps.now(), deps.leewayMs)) return session
      let next: TokenSet
      try {
        next = await refreshTokens(await deps.provider(), tokens, { dpop: session.dpop, now: deps.now })
      } catch (error) {
        if (!endsSession(error)) throw error
        await endLocked('login_required')
        return null
      }
      // Stored before the lock is released: the next tab must read the rotated refresh token.
      await deps.vault.write(SESSION_RECORD, recordOf({ sessionId: session.sessionId, tokens: next }))
      setCurrent({ ...session, tokens: next })
      deps.broadcast({ type: 'changed' })
      deps.emit(stateOf(current))
      return current
    })
    if (session) return session
    await deps.hold.waitForOthers()
    throw new AuthError('login_required', 'the provider ended the session')
  }

  function refresh(staleAccessToken: string): Promise<ActiveSession> {
    refreshing ??= refreshUnderLock(staleAccessToken).finally(() => {
      refreshing = undefined
    })
    return refreshing
  }

  return {
    async state(): Promise<AuthState> {
      await ready()
      return stateOf(current)
    },

    async active(): Promise<ActiveSession> {
      await ready()
      const session = current
      if (!session) throw new AuthError('login_required', 'no session')
      if (!refreshDue(session.tokens, deps.now(), deps.leewayMs)) return session
      return refresh(session.tokens.accessToken)
    },

    isCurrent(session: ActiveSession): boolean {
      return current !== null && current.sessionId === session.sessionId
    },

    refresh,

    async replace(tokens: TokenSet, keys: CryptoKeyPair | null): Promise<void> {
      await ready().catch(() => undefined)
      const session = bind(crypto.randomUUID(), tokens, keys)
      await deps.withLock(async () => {
        await deps.vault.write(SESSION_RECORD, recordOf(session))
        if (keys) await deps.vault.writeKeys(SESSION_KEYS_RECORD, keys)
        else await deps.vault.remove(SESSION_KEYS_RECORD)
        settle(session)
      })
      deps.broadcast({ type: 'changed' })
      deps.emit(stateOf(session))
    },

    async end(reason: AuthErrorCode | null): Promise<ActiveSession | null> {
      await ready().catch(() => undefined)
      const ended = await deps.withLock(() => endLocked(reason))
      await deps.hold.waitForOthers()
      return ended
    },

    async onTabMessage(message: TabMessage): Promise<void> {
      if (message.type === 'ended') {
        const hadSession = current !== null
        settle(null)
        if (hadSession || message.reason) deps.emit(signedOut(message.reason))
        return
      }
      const before = current
      settle(await readVault())
      if (current !== before) deps.emit(stateOf(current))
    },

    onHoldLost(): void {
      if (!current) return
      settle(null)
      deps.emit(SIGNED_OUT)
    },
  }
}
