import * as oauth from 'oauth4webapi'
import type { AuthError } from '../shared/errors'
import type { LogoutResult } from '../shared/types'
import { toAuthError } from './errors'
import type { ProviderContext } from './provider'

/**
 * Whether this public client may call the provider's revocation endpoint: it has one, and its
 * `revocation_endpoint_auth_methods_supported` (RFC 8414 §2), when listed, includes `none`. An
 * omitted list is tried (RFC 8414's default `client_secret_basic` is not what most providers mean
 * when they leave it out), and a refusal is reported as `failed`.
 */
export function canRevoke(ctx: ProviderContext): boolean {
  const methods = ctx.as.revocation_endpoint_auth_methods_supported
  return !!ctx.as.revocation_endpoint && (!Array.isArray(methods) || methods.includes('none'))
}

/**
 * Revokes a token (RFC 7009 §2.1). No DPoP proof is sent: RFC 9449 defines none for this endpoint,
 * and RFC 7009 binds the request to the client, not to a key.
 *
 * @throws AuthError when the provider refused or could not be reached.
 */
export async function revokeToken(
  ctx: ProviderContext,
  token: string,
  hint: 'access_token' | 'refresh_token',
): Promise<void> {
  try {
    const response = await oauth.revocationRequest(ctx.as, ctx.client, ctx.clientAuth, token, {
      ...ctx.http,
      additionalParameters: { token_type_hint: hint },
    })
    await oauth.processRevocationResponse(response)
  } catch (error) {
    throw toAuthError(error, 'revocation')
  }
}

/**
 * Revokes the refresh token first (RFC 7009 §2.1: at most providers that also ends its access
 * tokens), then each access token, and says what came of it. An access token the provider answers
 * `unsupported_token_type` for (RFC 7009 §2.2.1) is not a failure: it cannot be revoked there and
 * ends at its expiry. Nothing in the result is a token.
 */
export async function revokeTokens(
  ctx: ProviderContext,
  refreshToken: string | null,
  accessTokens: readonly string[],
): Promise<LogoutResult> {
  if (!canRevoke(ctx)) return { revocation: 'not_supported' }
  const attempts: (readonly [string, 'access_token' | 'refresh_token'])[] = [
    ...(refreshToken ? [[refreshToken, 'refresh_token'] as const] : []),
    ...accessTokens.map((token) => [token, 'access_token'] as const),
  ]
  let result: LogoutResult = { revocation: 'revoked' }
  for (const [token, hint] of attempts) {
    await revokeToken(ctx, token, hint).catch((error: AuthError) => {
      if (hint === 'access_token' && error.oauthError === 'unsupported_token_type') return
      if (result.revocation === 'revoked') result = failure(error)
    })
  }
  return result
}

/** The refusal as plain data: its code, HTTP status and OAuth error, never its message. */
function failure({ code, status, oauthError }: AuthError): LogoutResult {
  return {
    revocation: 'failed',
    failure: { code, ...(status !== undefined && { status }), ...(oauthError !== undefined && { oauthError }) },
  }
}
