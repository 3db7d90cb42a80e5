import * as oauth from 'oauth4webapi'
import { toAuthError } from './errors'
import type { ProviderContext } from './provider'

/**
 * Revokes a token (RFC 7009 §2.1) when the provider has a revocation endpoint.
 *
 * @returns whether the provider confirmed the revocation.
 * @throws AuthError when the provider refused or could not be reached.
 */
export async function revokeToken(
  ctx: ProviderContext,
  token: string,
  hint: 'access_token' | 'refresh_token',
  dpop: oauth.DPoPHandle | null,
): Promise<boolean> {
  if (!ctx.as.revocation_endpoint) return false
  try {
    const response = await oauth.revocationRequest(ctx.as, ctx.client, ctx.clientAuth, token, {
      ...ctx.http,
      additionalParameters: { token_type_hint: hint },
      ...(dpop && { DPoP: dpop }),
    })
    await oauth.processRevocationResponse(response)
    return true
  } catch (error) {
    throw toAuthError(error, 'revocation')
  }
}
