import * as oauth from 'oauth4webapi'
import { AuthError } from '../shared/errors'
import type { UserClaims } from '../shared/types'
import { providerTimeOf, serverClocks } from './clock-skew'
import { withDPoPNonceRetry } from './dpop'
import { toAuthError } from './errors'
import type { ProviderContext } from './provider'

/** A token response, validated. Lives only in the worker. */
export interface TokenSet {
  readonly accessToken: string
  readonly refreshToken: string | null
  readonly tokenType: 'DPoP' | 'Bearer'
  /** Epoch ms, from `expires_in` against the local clock at arrival; `null` when not given. */
  readonly expiresAt: number | null
  /** Epoch ms by the local clock when the response arrived. */
  readonly receivedAt: number
  readonly idToken: string | null
  readonly claims: UserClaims | null
  readonly scope: string | null
}

export interface TokenRequestOptions {
  readonly dpop: oauth.DPoPHandle | null
  /** The local clock, in epoch ms; injected for tests. */
  readonly now: () => number
  /**
   * More parameters of a refresh (`scope`, RFC 8707 §2 `resource`, a provider's own such as
   * `audience`), as name-value pairs: a name may repeat.
   */
  readonly params?: readonly (readonly [string, string])[]
}

function toTokenSet(
  response: oauth.TokenEndpointResponse,
  receivedAt: number,
  requestedDPoP: boolean,
  previous: TokenSet | null,
): TokenSet {
  const tokenType = response.token_type === 'dpop' ? 'DPoP' : 'Bearer'
  // RFC 9449 §5: a DPoP request may be answered with a Bearer token; the reverse is not valid.
  if (tokenType === 'DPoP' && !requestedDPoP) {
    throw new AuthError('invalid_response', 'token response: DPoP token without a proof')
  }
  const idClaims = oauth.getValidatedIdTokenClaims(response)
  let claims = (idClaims as UserClaims | undefined) ?? previous?.claims ?? null
  // OpenID Connect Core §12.2: a refreshed ID token must be about the same user.
  if (idClaims && previous?.claims && idClaims.sub !== previous.claims.sub) {
    throw new AuthError('invalid_id_token', 'refresh: the new ID token has another subject')
  }
  if (claims) claims = { ...claims }
  return {
    accessToken: response.access_token,
    // RFC 6749 §6: without a new refresh token the old one stays valid.
    refreshToken: response.refresh_token ?? previous?.refreshToken ?? null,
    tokenType,
    // Expiry by the local clock at arrival, never from `iat`: provider clocks drift.
    expiresAt: typeof response.expires_in === 'number' ? receivedAt + response.expires_in * 1000 : null,
    receivedAt,
    idToken: response.id_token ?? previous?.idToken ?? null,
    claims,
    scope: response.scope ?? previous?.scope ?? null,
  }
}

/**
 * OpenID Connect Core §3.1.3.7 step 5: an `azp` claim, when present, must be this client; oauth4webapi
 * checks it only when the ID token names several audiences.
 */
function assertAuthorizedParty(ctx: ProviderContext, response: oauth.TokenEndpointResponse): void {
  const azp = oauth.getValidatedIdTokenClaims(response)?.azp
  if (azp !== undefined && azp !== ctx.client.client_id) {
    throw new AuthError('invalid_id_token', 'ID token: the "azp" claim names another client')
  }
}

/**
 * The client oauth4webapi checks the ID token's `exp`, `nbf` and `auth_time` with: its `clockSkew`
 * is the provider's clock offset, learnt from this very response first, so the checks are by the
 * provider's clock (OpenID Connect Core §3.1.3.7 steps 9 and 13 allow for skew), 10 minutes at
 * most (clock-skew.ts). The same offset dates the next DPoP proofs to the provider.
 */
async function atProviderTime(ctx: ProviderContext, response: Response, receivedAt: number): Promise<oauth.Client> {
  const origin = new URL(String(ctx.as.token_endpoint)).origin
  serverClocks.observe(origin, await providerTimeOf(response), receivedAt)
  return { ...ctx.client, [oauth.clockSkew]: serverClocks.offset(origin) }
}

export interface CodeExchangeInput {
  readonly callbackParams: URLSearchParams
  readonly redirectUri: string
  readonly codeVerifier: string
  readonly nonce: string | null
  /** The `max_age` the authorization request carried: `auth_time` must honour it (OpenID Connect Core §3.1.2.1). */
  readonly maxAge: number | null
}

/**
 * Exchanges the authorization code (RFC 6749 §4.1.3) with the PKCE verifier (RFC 7636 §4.5),
 * validating the ID token claims (OpenID Connect Core §3.1.3.7) and the nonce.
 */
export async function exchangeCode(
  ctx: ProviderContext,
  input: CodeExchangeInput,
  options: TokenRequestOptions,
): Promise<TokenSet> {
  try {
    return await withDPoPNonceRetry(async () => {
      const response = await oauth.authorizationCodeGrantRequest(
        ctx.as,
        ctx.client,
        ctx.clientAuth,
        input.callbackParams,
        input.redirectUri,
        input.codeVerifier,
        { ...ctx.http, ...(options.dpop && { DPoP: options.dpop }) },
      )
      const receivedAt = options.now()
      const client = await atProviderTime(ctx, response, receivedAt)
      const result = await oauth.processAuthorizationCodeResponse(ctx.as, client, response, {
        ...(input.nonce !== null ? { expectedNonce: input.nonce, requireIdToken: true } : {}),
        ...(input.maxAge !== null && { maxAge: input.maxAge }),
      })
      assertAuthorizedParty(ctx, result)
      return toTokenSet(result, receivedAt, options.dpop !== null, null)
    })
  } catch (error) {
    throw toAuthError(error, 'code exchange')
  }
}

/**
 * Refreshes the access token (RFC 6749 §6); a rotated refresh token replaces the old one. With
 * `options.params` it is the grant for one API's own token (RFC 8707 §2).
 */
export async function refreshTokens(
  ctx: ProviderContext,
  previous: TokenSet,
  options: TokenRequestOptions,
): Promise<TokenSet> {
  if (previous.refreshToken === null) throw new AuthError('login_required', 'refresh: no refresh token')
  const refreshToken = previous.refreshToken
  try {
    return await withDPoPNonceRetry(async () => {
      const response = await oauth.refreshTokenGrantRequest(ctx.as, ctx.client, ctx.clientAuth, refreshToken, {
        ...ctx.http,
        ...(options.dpop && { DPoP: options.dpop }),
        ...(options.params && { additionalParameters: options.params.map(([name, value]) => [name, value]) }),
      })
      const receivedAt = options.now()
      const client = await atProviderTime(ctx, response, receivedAt)
      const result = await oauth.processRefreshTokenResponse(ctx.as, client, response)
      assertAuthorizedParty(ctx, result)
      return toTokenSet(result, receivedAt, options.dpop !== null, previous)
    })
  } catch (error) {
    throw toAuthError(error, 'refresh')
  }
}
