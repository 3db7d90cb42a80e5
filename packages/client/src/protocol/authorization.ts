import * as oauth from 'oauth4webapi'
import { POPUP_STATE_PREFIX } from '../shared/callback-url'
import { AuthError } from '../shared/errors'
import type { ProviderContext } from './provider'

/** What must survive the redirect, encrypted in the vault, single-use (RFC 6749 §10.12). */
export interface AuthorizationTransaction {
  readonly state: string
  readonly nonce: string | null
  readonly codeVerifier: string
  readonly redirectUri: string
  readonly returnTo: string | null
  /** The `acr_values` asked for: the ID token's `acr` must be one of them (OpenID Connect Core §2). */
  readonly acrValues: string | null
  /** The `max_age` asked for: the ID token's `auth_time` must honour it (OpenID Connect Core §3.1.2.1). */
  readonly maxAge: number | null
  /** Epoch ms after which the transaction is refused. */
  readonly expiresAt: number
}

/** How long a started login may take before its callback is refused as `invalid_state`. */
export const TRANSACTION_TTL_MS = 10 * 60 * 1000

/** Parameters the SDK sets itself; `extraParams` may not override them. */
const RESERVED_PARAMS = new Set([
  'client_id',
  'response_type',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'dpop_jkt',
  'request',
  'request_uri',
  'response_mode',
  // Set through their own options, so that the answer is checked against them.
  'acr_values',
  'max_age',
  'resource',
])

export interface AuthorizationRequestInput {
  readonly redirectUri: string
  readonly scope: string
  readonly returnTo: string | null
  readonly extraParams: Record<string, string>
  /** OpenID Connect Core §3.1.2.1 `acr_values`: space-separated, in order of preference. */
  readonly acrValues: string | null
  /** OpenID Connect Core §3.1.2.1 `max_age`, in seconds. */
  readonly maxAge: number | null
  /** RFC 8707 §2.1: one `resource` parameter per value. */
  readonly resource: readonly string[]
  /** RFC 9449 §10: binds the authorization code to the DPoP key. */
  readonly dpopJkt: string | null
  /** A login in a popup: its `state` starts with {@link POPUP_STATE_PREFIX}. */
  readonly popup: boolean
  readonly now: number
}

/**
 * RFC 8707 §2: resource indicators are absolute URIs without a fragment; one string or several.
 *
 * @throws AuthError `config_error` naming `what`.
 */
export function parseResource(value: unknown, what: string): string[] {
  const values: unknown[] = Array.isArray(value) ? value : [value]
  return values.map((entry) => {
    if (typeof entry !== 'string' || !URL.canParse(entry) || entry.includes('#')) {
      throw new AuthError('config_error', `${what} must be absolute URIs without a fragment (RFC 8707 §2)`)
    }
    // As given: the provider compares resource indicators as strings.
    return entry
  })
}

function checkStepUp(input: AuthorizationRequestInput, openid: boolean): void {
  const { acrValues, maxAge } = input
  if (acrValues !== null && (typeof acrValues !== 'string' || acrValues.trim() === '')) {
    throw new AuthError('config_error', 'acrValues must be a non-empty string')
  }
  if (maxAge !== null && !(Number.isSafeInteger(maxAge) && maxAge >= 0)) {
    throw new AuthError('config_error', 'maxAge must be a whole number of seconds ≥ 0')
  }
  // Only an ID token says how the user authenticated; without one the answer could not be checked.
  if ((acrValues !== null || maxAge !== null) && !openid) {
    throw new AuthError('config_error', 'acrValues and maxAge need the openid scope')
  }
}

/**
 * Builds an authorization request with PKCE S256 (RFC 7636 §4.2, required by RFC 9700 §2.1.1),
 * `state`, and a `nonce` when `openid` is requested (OpenID Connect Core §3.1.2.1); `acr_values`
 * and `max_age` for a step-up (RFC 9470 §4), `resource` indicators (RFC 8707 §2.1). The URL carries
 * every parameter; {@link pushAuthorizationRequest} can push them instead (RFC 9126).
 *
 * @throws AuthError `config_error` when `extraParams` tries to set a parameter the SDK owns, or
 *   `acrValues`, `maxAge` or `resource` are malformed, or asked without the `openid` scope.
 */
export async function createAuthorizationRequest(
  ctx: ProviderContext,
  input: AuthorizationRequestInput,
): Promise<{ url: URL; transaction: AuthorizationTransaction }> {
  for (const [name, value] of Object.entries(input.extraParams)) {
    if (RESERVED_PARAMS.has(name)) throw new AuthError('config_error', `extraParams may not set "${name}"`)
    if (typeof value !== 'string') throw new AuthError('config_error', `extraParams "${name}" must be a string`)
  }
  const openid = input.scope.split(' ').includes('openid')
  checkStepUp(input, openid)
  const codeVerifier = oauth.generateRandomCodeVerifier()
  const state = (input.popup ? POPUP_STATE_PREFIX : '') + oauth.generateRandomState()
  const nonce = openid ? oauth.generateRandomNonce() : null

  const url = new URL(ctx.as.authorization_endpoint!)
  const params = url.searchParams
  for (const [name, value] of Object.entries(input.extraParams)) params.set(name, value)
  params.set('client_id', ctx.client.client_id)
  params.set('response_type', 'code')
  params.set('redirect_uri', input.redirectUri)
  params.set('scope', input.scope)
  params.set('state', state)
  if (nonce !== null) params.set('nonce', nonce)
  params.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier))
  params.set('code_challenge_method', 'S256')
  if (input.dpopJkt !== null) params.set('dpop_jkt', input.dpopJkt)
  if (input.acrValues !== null) params.set('acr_values', input.acrValues)
  if (input.maxAge !== null) params.set('max_age', String(input.maxAge))
  for (const resource of parseResource(input.resource, 'resource')) params.append('resource', resource)

  return {
    url,
    transaction: {
      state,
      nonce,
      codeVerifier,
      redirectUri: input.redirectUri,
      returnTo: input.returnTo,
      acrValues: input.acrValues,
      maxAge: input.maxAge,
      expiresAt: input.now + TRANSACTION_TTL_MS,
    },
  }
}
