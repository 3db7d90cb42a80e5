import * as oauth from 'oauth4webapi'
import { AuthError } from '../shared/errors'
import type { ProviderContext } from './provider'

/** What must survive the redirect, encrypted in the vault, single-use (RFC 6749 §10.12). */
export interface AuthorizationTransaction {
  readonly state: string
  readonly nonce: string | null
  readonly codeVerifier: string
  readonly redirectUri: string
  readonly returnTo: string | null
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
])

export interface AuthorizationRequestInput {
  readonly redirectUri: string
  readonly scope: string
  readonly returnTo: string | null
  readonly extraParams: Record<string, string>
  /** RFC 9449 §10: binds the authorization code to the DPoP key. */
  readonly dpopJkt: string | null
  readonly now: number
}

/**
 * Builds an authorization request with PKCE S256 (RFC 7636 §4.2, required by RFC 9700 §2.1.1),
 * `state`, and a `nonce` when `openid` is requested (OpenID Connect Core §3.1.2.1).
 *
 * @throws AuthError `config_error` when `extraParams` tries to set a parameter the SDK owns.
 */
export async function createAuthorizationRequest(
  ctx: ProviderContext,
  input: AuthorizationRequestInput,
): Promise<{ url: URL; transaction: AuthorizationTransaction }> {
  for (const [name, value] of Object.entries(input.extraParams)) {
    if (RESERVED_PARAMS.has(name)) throw new AuthError('config_error', `extraParams may not set "${name}"`)
    if (typeof value !== 'string') throw new AuthError('config_error', `extraParams "${name}" must be a string`)
  }
  const codeVerifier = oauth.generateRandomCodeVerifier()
  const state = oauth.generateRandomState()
  const nonce = input.scope.split(' ').includes('openid') ? oauth.generateRandomNonce() : null

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

  return {
    url,
    transaction: {
      state,
      nonce,
      codeVerifier,
      redirectUri: input.redirectUri,
      returnTo: input.returnTo,
      expiresAt: input.now + TRANSACTION_TTL_MS,
    },
  }
}
