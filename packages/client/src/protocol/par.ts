import * as oauth from 'oauth4webapi'
import { AuthError } from '../shared/errors'
import { withDPoPNonceRetry } from './dpop'
import { toAuthError } from './errors'
import type { ProviderContext } from './provider'

/**
 * Whether the authorization request is pushed: as configured, or, left unset, whenever the metadata
 * advertises `pushed_authorization_request_endpoint` (RFC 9126 §5).
 *
 * @param configured the `par` option; `null` when left unset.
 * @throws AuthError `config_error` for `par: true` without the endpoint, or `par: false` at a
 *   provider that requires pushed requests (`require_pushed_authorization_requests`, RFC 9126 §5).
 */
export function parInEffect(ctx: ProviderContext, configured: boolean | null): boolean {
  const advertised = typeof ctx.as.pushed_authorization_request_endpoint === 'string'
  if (configured === true && !advertised) {
    throw new AuthError('config_error', 'par: the provider has no pushed_authorization_request_endpoint (RFC 9126 §5)')
  }
  if (configured === false && ctx.as.require_pushed_authorization_requests === true) {
    throw new AuthError('config_error', 'par: the provider requires pushed authorization requests (RFC 9126 §5)')
  }
  return configured ?? advertised
}

/**
 * Pushes the authorization request that `url` carries (RFC 9126 §2.1) and returns the URL the browser
 * goes to instead: the authorization endpoint with `client_id` and `request_uri` only (RFC 9126 §4).
 * With DPoP the push carries a proof, which binds the code to the key (RFC 9449 §10.1); a nonce
 * challenge costs one retry.
 *
 * @throws AuthError `authorization_error` when the provider refuses the request (its `error` in
 *   `oauthError`, the HTTP status in `status`), as it would have on the redirect back without PAR;
 *   `network_error` when it cannot be reached; `invalid_response` for a malformed answer.
 */
export async function pushAuthorizationRequest(
  ctx: ProviderContext,
  url: URL,
  dpop: oauth.DPoPHandle | null,
): Promise<URL> {
  let requestUri: string
  try {
    requestUri = await withDPoPNonceRetry(async () => {
      const response = await oauth.pushedAuthorizationRequest(ctx.as, ctx.client, ctx.clientAuth, url.searchParams, {
        ...ctx.http,
        ...(dpop && { DPoP: dpop }),
      })
      return (await oauth.processPushedAuthorizationResponse(ctx.as, ctx.client, response)).request_uri
    })
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError && !oauth.isDPoPNonceError(error)) {
      throw new AuthError('authorization_error', `pushed authorization request: the provider answered ${error.error}`, {
        oauthError: error.error,
        status: error.status,
      })
    }
    throw toAuthError(error, 'pushed authorization request')
  }
  const pushed = new URL(ctx.as.authorization_endpoint!)
  pushed.searchParams.set('client_id', ctx.client.client_id)
  pushed.searchParams.set('request_uri', requestUri)
  return pushed
}
