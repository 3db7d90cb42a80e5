import { parseResource } from '../protocol/authorization'
import { isLoopbackHost } from '../protocol/loopback'
import { AuthError } from '../shared/errors'
import type { Persistence } from '../shared/types'
import type { WireOptions } from '../shared/wire'

/**
 * The options after validation, as plain data. Only the worker validates them (it does not trust
 * the page), and once set they cannot change for the worker's lifetime.
 */
export interface ResolvedConfig {
  readonly issuer: string
  readonly clientId: string
  readonly redirectUri: string
  readonly scope: string
  readonly postLogoutRedirectUri: string | null
  /** Where credentials go, normalised; each with its own API token or the session's. */
  readonly allowedOrigins: readonly AllowedTarget[]
  /** `null`: decided by the provider's metadata. */
  readonly dpop: boolean | null
  readonly persistence: Persistence
  readonly refreshLeewaySeconds: number
  /** The bound on every request to the provider, in milliseconds. */
  readonly providerTimeoutMs: number
  /** Script URLs of the service workers that may control the page. */
  readonly dangerouslyAllowServiceWorkers: readonly string[]
  /** Pushed authorization requests (RFC 9126); `null`: when the metadata advertises them. */
  readonly par: boolean | null
  /** RFC 8707 resource indicators of every authorization request that names none itself. */
  readonly resource: readonly string[]
  /** `null`: no idle timeout. */
  readonly idleTimeoutSeconds: number | null
  /** `0`: no warning. */
  readonly idleWarningSeconds: number
}

/**
 * An API with a token of its own ({@link ApiOptions}), validated: what its `refresh_token` grant
 * carries (RFC 6749 §6, RFC 8707 §2) and how its token is sent.
 */
export interface ApiConfig {
  /** The entry's normalised `url`: names the API's token in the vault. */
  readonly key: string
  readonly scope: string | null
  readonly resource: readonly string[]
  readonly tokenParams: Readonly<Record<string, string>>
  /** `false`: sent as Bearer (RFC 6750 §2.1) even in a DPoP session. */
  readonly dpop: boolean
}

/** An allowed target: an origin, or an origin plus path prefix, and the token it gets. */
export interface AllowedTarget {
  readonly url: string
  /** `null`: the session's own access token. */
  readonly api: ApiConfig | null
}

/** Token request parameters the SDK sets itself (RFC 6749 §6, RFC 8707 §2). */
const RESERVED_TOKEN_PARAMS = new Set(['grant_type', 'refresh_token', 'scope', 'resource', 'client_id'])

const DEFAULT_SCOPE = 'openid'
const DEFAULT_LEEWAY_SECONDS = 30
export const DEFAULT_PROVIDER_TIMEOUT_MS = 30_000
/** The longest delay browsers' timers keep (a signed 32-bit count of ms); longer ones fire at once. */
const MAX_TIMER_MS = 2_147_483_647
const MAX_IDLE_SECONDS = Math.floor(MAX_TIMER_MS / 1000)
const DEFAULT_IDLE_WARNING_SECONDS = 60

function configError(message: string): AuthError {
  return new AuthError('config_error', message)
}

/**
 * Parses an absolute URL that must be `https:`, or `http:` on a loopback host only
 * (RFC 9700 §2.6: no credentials over plain HTTP).
 */
export function parseSecureUrl(value: unknown, what: string): URL {
  if (typeof value !== 'string' || value === '') throw configError(`${what} must be a non-empty string`)
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw configError(`${what} must be an absolute URL`)
  }
  if (url.protocol === 'https:') return url
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url
  throw configError(`${what} must use https (http: loopback only)`)
}

function parseAllowedUrl(entry: unknown): string {
  const url = parseSecureUrl(entry, 'allowedOrigins entry')
  if (url.username || url.password || url.search || url.hash) {
    throw configError('allowedOrigins entry must be an origin or origin + path')
  }
  // `new URL('https://api.example.com').pathname` is '/': keep the bare origin in that case.
  return url.pathname === '/' && !String(entry).endsWith('/') ? url.origin : url.origin + url.pathname
}

function parseApi(entry: Record<string, unknown>, key: string): ApiConfig {
  const { scope, resource = [], tokenParams = {}, dpop } = entry
  if (scope !== undefined && (typeof scope !== 'string' || scope.trim() === '')) {
    throw configError('allowedOrigins scope must be a non-empty string')
  }
  if (typeof tokenParams !== 'object' || tokenParams === null || Array.isArray(tokenParams)) {
    throw configError('allowedOrigins tokenParams must be an object of strings')
  }
  for (const [name, value] of Object.entries(tokenParams)) {
    if (RESERVED_TOKEN_PARAMS.has(name)) throw configError(`allowedOrigins tokenParams may not set "${name}"`)
    if (typeof value !== 'string') throw configError(`allowedOrigins tokenParams "${name}" must be a string`)
  }
  if (dpop !== undefined && typeof dpop !== 'boolean') throw configError('allowedOrigins dpop must be a boolean')
  return {
    key,
    scope: scope ?? null,
    resource: parseResource(resource, 'allowedOrigins resource'),
    tokenParams: { ...(tokenParams as Record<string, string>) },
    dpop: dpop ?? true,
  }
}

function parseAllowedTarget(entry: unknown): AllowedTarget {
  if (typeof entry !== 'object' || entry === null) return { url: parseAllowedUrl(entry), api: null }
  const url = parseAllowedUrl((entry as { url?: unknown }).url)
  return { url, api: parseApi(entry as Record<string, unknown>, url) }
}

function parseAllowedTargets(entries: unknown): AllowedTarget[] {
  if (entries !== undefined && !Array.isArray(entries)) {
    throw configError('allowedOrigins must be an array of URLs or API entries')
  }
  const targets = (entries ?? []).map(parseAllowedTarget)
  const apis = targets.flatMap((target) => (target.api ? [target.api.key] : []))
  // The url names the API's token: two entries for one url would share it.
  if (new Set(apis).size !== apis.length) throw configError('allowedOrigins lists an API url twice')
  return targets
}

/**
 * Validates the options (`AuthClientOptions` without `worker`) against the page's origin.
 * `null` counts as absent for `dpop`, `par`, `resource`, `postLogoutRedirectUri` and the idle options.
 *
 * @throws AuthError `config_error`
 */
export function resolveConfig(options: WireOptions, pageOrigin: string): ResolvedConfig {
  if (typeof options !== 'object' || options === null) throw configError('options must be an object')
  const issuer = parseSecureUrl(options.issuer, 'issuer')
  if (issuer.search || issuer.hash) throw configError('issuer must have no query or fragment (RFC 8414 §2)')

  if (typeof options.clientId !== 'string' || options.clientId === '') {
    throw configError('clientId must be a non-empty string')
  }

  const redirectUri = parseSecureUrl(options.redirectUri, 'redirectUri')
  // RFC 6749 §3.1.2: no fragment; the callback must come back to this page's origin.
  if (redirectUri.hash) throw configError('redirectUri must not have a fragment')
  if (redirectUri.origin !== pageOrigin) throw configError("redirectUri must be on the page's own origin")

  const postLogoutRedirectUri =
    options.postLogoutRedirectUri == null
      ? null
      : parseSecureUrl(options.postLogoutRedirectUri, 'postLogoutRedirectUri').href

  const allowedOrigins = parseAllowedTargets(options.allowedOrigins)

  if (options.dpop != null && typeof options.dpop !== 'boolean') {
    throw configError('dpop must be a boolean')
  }

  const persistence = options.persistence ?? 'indexeddb'
  if (persistence !== 'indexeddb' && persistence !== 'memory') {
    throw configError("persistence must be 'indexeddb' or 'memory'")
  }

  const scope = options.scope ?? DEFAULT_SCOPE
  if (typeof scope !== 'string' || scope.trim() === '') throw configError('scope must be a non-empty string')

  const leeway = options.refreshLeewaySeconds ?? DEFAULT_LEEWAY_SECONDS
  if (typeof leeway !== 'number' || !Number.isFinite(leeway) || leeway < 0) {
    throw configError('refreshLeewaySeconds must be ≥ 0')
  }

  const timeout = options.providerTimeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS
  if (typeof timeout !== 'number' || !(timeout >= 1 && timeout <= MAX_TIMER_MS)) {
    throw configError(`providerTimeoutMs must be 1 to ${MAX_TIMER_MS}`)
  }

  const serviceWorkers = options.dangerouslyAllowServiceWorkers ?? []
  if (!Array.isArray(serviceWorkers)) throw configError('dangerouslyAllowServiceWorkers must be an array of URLs')

  if (options.par != null && typeof options.par !== 'boolean') throw configError('par must be a boolean')
  const resource = options.resource == null ? [] : parseResource(options.resource, 'resource')

  const idle = options.idleTimeoutSeconds ?? null
  const warning = options.idleWarningSeconds ?? Math.min(DEFAULT_IDLE_WARNING_SECONDS, (idle ?? 0) / 2)
  const idleValid = idle === null || (typeof idle === 'number' && idle > 0 && idle <= MAX_IDLE_SECONDS)
  if (!idleValid || typeof warning !== 'number' || !(warning >= 0 && warning < (idle ?? Infinity))) {
    throw configError(`idleTimeoutSeconds must be > 0 and ≤ ${MAX_IDLE_SECONDS}, idleWarningSeconds ≥ 0 and below it`)
  }

  return {
    issuer: options.issuer,
    clientId: options.clientId,
    redirectUri: redirectUri.href,
    scope,
    postLogoutRedirectUri,
    allowedOrigins,
    dpop: options.dpop ?? null,
    persistence,
    refreshLeewaySeconds: leeway,
    providerTimeoutMs: timeout,
    dangerouslyAllowServiceWorkers: serviceWorkers.map(
      (url) => parseSecureUrl(url, 'dangerouslyAllowServiceWorkers entry').href,
    ),
    par: options.par ?? null,
    resource,
    idleTimeoutSeconds: idle,
    idleWarningSeconds: warning,
  }
}
