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
/** The last user activity any tab reported, epoch milliseconds (`idleTimeoutSeconds`). */
export const IDLE_RECORD = 'idle-activity'
export const transactionRecord = (state: string): string => `tx:${state}`
export const transactionKeysRecord = (state: string): string => `tx-dpop-key:${state}`

type Check = (value: unknown) => boolean
const isString: Check = (value) => typeof value === 'string'
const isStringOrNull: Check = (value) => value === null || isString(value)
const isFinite: Check = (value) => Number.isFinite(value)

/**
 * `value`'s fields named in `checks`, copied, when each passes its check; `null` otherwise, or when
 * `value` is not an object.
 */
function fields<T>(value: unknown, checks: Record<string, Check>): T | null {
  if (typeof value !== 'object' || value === null) return null
  const picked: Record<string, unknown> = {}
  for (const [name, check] of Object.entries(checks)) {
    const field = (value as Record<string, unknown>)[name]
    if (!check(field)) return null
    picked[name] = field
  }
  return picked as T
}

const TOKEN_SET: Record<keyof TokenSet, Check> = {
  accessToken: isString,
  refreshToken: isStringOrNull,
  tokenType: (value) => value === 'DPoP' || value === 'Bearer',
  expiresAt: (value) => value === null || isFinite(value),
  receivedAt: isFinite,
  idToken: isStringOrNull,
  scope: isStringOrNull,
  claims: (value) => value === null || isString((value as Partial<UserClaims> | undefined)?.sub),
}

/** What the vault keeps of a session: the tokens, and an id that stays the same across refreshes. */
export interface SessionRecord {
  /** Identifies one login; a refresh keeps it, a new login or a logout changes it. */
  readonly sessionId: string
  readonly tokens: TokenSet
  /** Each API's own access token, by the API's key; its refresh token is the session's. */
  readonly apis: Readonly<Record<string, TokenSet>>
}

/** Checks the shape of a decrypted session record; anything else is treated as no session. */
export function parseSessionRecord(value: unknown): SessionRecord | null {
  const record = fields<{ sessionId: string; tokens: unknown; apis: unknown }>(value, {
    sessionId: isString,
    tokens: () => true,
    // Records written before per-API tokens have none.
    apis: (apis) => apis === undefined || (typeof apis === 'object' && apis !== null),
  })
  const tokens = record && fields<TokenSet>(record.tokens, TOKEN_SET)
  if (!tokens) return null
  const apis: Record<string, TokenSet> = {}
  for (const [key, stored] of Object.entries(record.apis ?? {})) {
    const api = fields<TokenSet>(stored, TOKEN_SET)
    if (!api) return null
    apis[key] = api
  }
  return { sessionId: record.sessionId, tokens, apis }
}

/** Checks the shape of a decrypted login transaction; anything else is treated as none. */
export function parseTransaction(value: unknown): AuthorizationTransaction | null {
  return fields<AuthorizationTransaction>(value, {
    state: isString,
    nonce: isStringOrNull,
    codeVerifier: isString,
    redirectUri: isString,
    returnTo: isStringOrNull,
    acrValues: isStringOrNull,
    maxAge: (value) => value === null || isFinite(value),
    expiresAt: isFinite,
  })
}

/**
 * Whether `key` is a `CryptoKey` of `type` the worker could have generated itself: not extractable
 * (a public key always is), with exactly `usages`, and an algorithm `fits`.
 */
export function isOwnKey(
  key: unknown,
  type: KeyType,
  usages: string,
  fits: (algorithm: KeyAlgorithm) => boolean,
): boolean {
  return (
    key instanceof CryptoKey &&
    key.type === type &&
    key.extractable === (type === 'public') &&
    [...key.usages].sort().join() === usages &&
    fits(key.algorithm)
  )
}

const isP256 = (algorithm: KeyAlgorithm): boolean =>
  algorithm.name === 'ECDSA' && (algorithm as { namedCurve?: string }).namedCurve === 'P-256'

/**
 * A DPoP key pair as the worker generates it (RFC 9449 §2, ES256): ECDSA P-256 whose private key
 * signs and cannot be exported. A token bound to anything else could be used outside this browser.
 */
export function isDPoPKeyPair(value: unknown): value is CryptoKeyPair {
  if (typeof value !== 'object' || value === null) return false
  const { privateKey, publicKey } = value as Partial<CryptoKeyPair>
  // What must not leave the browser is the private key; a foreign public key only breaks the proofs.
  return isOwnKey(privateKey, 'private', 'sign', isP256) && publicKey instanceof CryptoKey
}
