import type { DPoPHandle } from 'oauth4webapi'
import { createDPoPHandle } from '../protocol/dpop'
import type { ProviderContext } from '../protocol/provider'
import { refreshTokens, type TokenSet } from '../protocol/tokens'
import { AuthError, isAuthError, type AuthErrorCode } from '../shared/errors'
import type { AuthState } from '../shared/types'
import { parseTokenSet, SESSION_KEYS_RECORD, SESSION_RECORD } from './session-record'
import type { TabMessage } from './tab-sync'
import type { Vault } from './vault'

/** The tokens in use and the DPoP handle that signs for them. Never leaves the worker. */
export interface ActiveSession {
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
  readonly leewayMs: number
  readonly now: () => number
  readonly emit: (state: AuthState) => void
  /** Runs `task` under the cross-tab refresh lock. */
  readonly withLock: <T>(task: () => Promise<T>) => Promise<T>
  readonly broadcast: (message: TabMessage) => void
}

/** Whether a token expiring at `expiresAt` must be refreshed before use at `now`. */
export function needsRefresh(expiresAt: number | null, now: number, leewayMs: number): boolean {
  return expiresAt !== null && now >= expiresAt - leewayMs
}

const SIGNED_OUT: AuthState = { authenticated: false, user: null, expiresAt: null, tokenType: null }

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
 * this tab and across tabs, and ending it.
 */
export function createSession(deps: SessionDeps) {
  let current: ActiveSession | null = null
  let loading: Promise<void> | undefined
  let refreshing: Promise<ActiveSession> | undefined

  async function bind(tokens: TokenSet, keys: CryptoKeyPair | null): Promise<ActiveSession> {
    const dpop = tokens.tokenType === 'DPoP' && keys ? createDPoPHandle(await deps.provider(), keys) : null
    return { tokens, keys, dpop }
  }

  /** Reads the vault; an unreadable or inconsistent record ends the session. */
  async function readVault(): Promise<ActiveSession | null> {
    let tokens: TokenSet | null
    let keys: CryptoKeyPair | undefined
    try {
      const record = await deps.vault.read(SESSION_RECORD)
      if (record === undefined) return null
      tokens = parseTokenSet(record)
      keys = tokens?.tokenType === 'DPoP' ? await deps.vault.readKeys(SESSION_KEYS_RECORD) : undefined
    } catch (error) {
      if (!isAuthError(error, 'login_required')) throw error
      tokens = null
    }
    if (!tokens || (tokens.tokenType === 'DPoP' && !keys)) {
      await erase('login_required')
      return null
    }
    if (current && current.tokens.accessToken === tokens.accessToken) return current
    return bind(tokens, keys ?? null)
  }

  async function erase(reason: AuthErrorCode | null): Promise<void> {
    const hadSession = current !== null
    current = null
    await deps.vault.remove(SESSION_RECORD, SESSION_KEYS_RECORD)
    if (reason !== null || hadSession) deps.emit(reason === null ? SIGNED_OUT : { ...SIGNED_OUT, reason })
  }

  function ready(): Promise<void> {
    loading ??= readVault().then(
      (session) => {
        current = session
      },
      (error: unknown) => {
        loading = undefined
        throw error
      },
    )
    return loading
  }

  async function refreshUnderLock(staleAccessToken: string): Promise<ActiveSession> {
    return deps.withLock(async () => {
      // Another tab may have refreshed while this one waited for the lock: its rotated refresh
      // token is in the vault and the one held here is already spent (RFC 9700 §4.14.2).
      if (deps.shared) current = await readVault()
      const session = current
      if (!session) throw new AuthError('login_required', 'the session has ended')
      const { tokens } = session
      if (tokens.accessToken !== staleAccessToken && !needsRefresh(tokens.expiresAt, deps.now(), deps.leewayMs)) {
        return session
      }
      let next: TokenSet
      try {
        next = await refreshTokens(await deps.provider(), tokens, { dpop: session.dpop, now: deps.now })
      } catch (error) {
        if (!endsSession(error)) throw error
        await erase('login_required')
        deps.broadcast({ type: 'ended', reason: 'login_required' })
        throw new AuthError('login_required', 'the provider ended the session')
      }
      // Stored before the lock is released: the next tab must read the rotated refresh token.
      await deps.vault.write(SESSION_RECORD, next)
      current = { ...session, tokens: next }
      deps.broadcast({ type: 'changed' })
      deps.emit(stateOf(current))
      return current
    })
  }

  return {
    async state(): Promise<AuthState> {
      await ready()
      return stateOf(current)
    },

    /**
     * A session whose access token is good for at least the leeway, refreshing first if needed.
     *
     * @throws AuthError `login_required` when there is no session or it ended.
     */
    async active(): Promise<ActiveSession> {
      await ready()
      const session = current
      if (!session) throw new AuthError('login_required', 'no session')
      if (!needsRefresh(session.tokens.expiresAt, deps.now(), deps.leewayMs)) return session
      return this.refresh(session.tokens.accessToken)
    },

    /**
     * Refreshes unless the access token differs from `staleAccessToken` and is still fresh. Callers
     * in this tab share one request; other tabs wait on the lock and reuse its result.
     */
    refresh(staleAccessToken: string): Promise<ActiveSession> {
      refreshing ??= refreshUnderLock(staleAccessToken).finally(() => {
        refreshing = undefined
      })
      return refreshing
    },

    /** Stores a new session from a login, replacing any previous one. */
    async replace(tokens: TokenSet, keys: CryptoKeyPair | null): Promise<void> {
      await ready().catch(() => undefined)
      await deps.vault.write(SESSION_RECORD, tokens)
      if (keys) await deps.vault.writeKeys(SESSION_KEYS_RECORD, keys)
      else await deps.vault.remove(SESSION_KEYS_RECORD)
      current = await bind(tokens, keys)
      deps.broadcast({ type: 'changed' })
      deps.emit(stateOf(current))
    },

    /** Ends the session here and in other tabs; returns what was active, for revocation. */
    async end(reason: AuthErrorCode | null): Promise<ActiveSession | null> {
      await ready().catch(() => undefined)
      const session = current
      await erase(reason)
      deps.broadcast({ type: 'ended', reason })
      return session
    },

    /** Applies what another tab announced. */
    async onTabMessage(message: TabMessage): Promise<void> {
      if (message.type === 'ended') {
        const hadSession = current !== null
        current = null
        loading = Promise.resolve()
        if (hadSession) deps.emit(message.reason ? { ...SIGNED_OUT, reason: message.reason } : SIGNED_OUT)
        return
      }
      const before = current
      current = await readVault()
      loading = Promise.resolve()
      if (current !== before) deps.emit(stateOf(current))
    },
  }
}

export type Session = ReturnType<typeof createSession>
