/**
 * What the vault holds: the names of its records and the parsers that check a decrypted record's
 * shape. A record that does not parse is treated as absent.
 */
import type { AuthorizationTransaction } from '../protocol/authorization'
import type { TokenSet } from '../protocol/tokens'
import type { UserClaims } from '../shared/types'

/** Record names in the vault. */
export const SESSION_RECORD = 'session'
export const SESSION_KEYS_RECORD = 'session-dpop-key'
export const transactionRecord = (state: string): string => `tx:${state}`
export const transactionKeysRecord = (state: string): string => `tx-dpop-key:${state}`

const isString = (value: unknown): value is string => typeof value === 'string'
const isStringOrNull = (value: unknown): value is string | null => value === null || typeof value === 'string'

/** What the vault keeps of a session: the tokens, and an id that stays the same across refreshes. */
export interface SessionRecord {
  /** Identifies one login; a refresh keeps it, a new login or a logout changes it. */
  readonly sessionId: string
  readonly tokens: TokenSet
}

/** Checks the shape of a decrypted session record; anything else is treated as no session. */
export function parseSessionRecord(value: unknown): SessionRecord | null {
  if (typeof value !== 'object' || value === null) return null
  const { sessionId, tokens } = value as Record<string, unknown>
  if (typeof sessionId !== 'string') return null
  const parsed = parseTokenSet(tokens)
  return parsed ? { sessionId, tokens: parsed } : null
}

function parseTokenSet(value: unknown): TokenSet | null {
  if (typeof value !== 'object' || value === null) return null
  const v = value as Record<string, unknown>
  if (!isString(v.accessToken) || !isStringOrNull(v.refreshToken)) return null
  if (v.tokenType !== 'DPoP' && v.tokenType !== 'Bearer') return null
  if (!(v.expiresAt === null || (typeof v.expiresAt === 'number' && Number.isFinite(v.expiresAt)))) return null
  if (typeof v.receivedAt !== 'number' || !Number.isFinite(v.receivedAt)) return null
  if (!isStringOrNull(v.idToken) || !isStringOrNull(v.scope)) return null
  const claims = v.claims
  if (claims !== null && (typeof claims !== 'object' || !isString((claims as Record<string, unknown>).sub))) {
    return null
  }
  return {
    accessToken: v.accessToken,
    refreshToken: v.refreshToken,
    tokenType: v.tokenType,
    expiresAt: v.expiresAt,
    receivedAt: v.receivedAt,
    idToken: v.idToken,
    scope: v.scope,
    claims: claims as UserClaims | null,
  }
}

/** Checks the shape of a decrypted login transaction; anything else is treated as none. */
export function parseTransaction(value: unknown): AuthorizationTransaction | null {
  if (typeof value !== 'object' || value === null) return null
  const v = value as Record<string, unknown>
  const ok =
    isString(v.state) &&
    isStringOrNull(v.nonce) &&
    isString(v.codeVerifier) &&
    isString(v.redirectUri) &&
    isStringOrNull(v.returnTo) &&
    typeof v.expiresAt === 'number'
  return ok ? (v as unknown as AuthorizationTransaction) : null
}
