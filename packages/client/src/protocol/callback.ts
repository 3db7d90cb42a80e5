import * as oauth from 'oauth4webapi'
import { AuthError } from '../shared/errors'
import { toAuthError } from './errors'
import type { ProviderContext } from './provider'

/**
 * RFC 9207 §2.4: the `iss` parameter must be the issuer, and present when the metadata says the
 * provider sends it. Checked before anything else in the response is trusted (RFC 9700 §4.4.2).
 *
 * @throws AuthError `invalid_issuer`
 */
export function assertIssuer(ctx: ProviderContext, url: URL): void {
  const iss = url.searchParams.get('iss')
  if (
    (iss === null && ctx.as.authorization_response_iss_parameter_supported === true) ||
    (iss !== null && iss !== ctx.as.issuer)
  ) {
    throw new AuthError('invalid_issuer', 'callback: "iss" missing or not the issuer (RFC 9207)')
  }
}

/**
 * Validates the authorization response: RFC 9207 §2.4 `iss` first (mix-up defence, RFC 9700
 * §4.4.2), then `state` (RFC 6749 §10.12), then `error` (RFC 6749 §4.1.2.1).
 *
 * @returns parameters branded for {@link exchangeCode}.
 * @throws AuthError `invalid_issuer`, `invalid_state`, `authorization_error` or `invalid_response`
 */
export function validateCallback(ctx: ProviderContext, url: URL, expectedState: string): URLSearchParams {
  assertIssuer(ctx, url)
  try {
    return oauth.validateAuthResponse(ctx.as, ctx.client, url, expectedState)
  } catch (error) {
    if (!(error instanceof oauth.OperationProcessingError)) throw toAuthError(error, 'callback')
    // oauth4webapi reports a state mismatch as an invalid response; name it for the caller.
    if (url.searchParams.get('state') !== expectedState) {
      throw new AuthError('invalid_state', 'callback: the "state" parameter does not match')
    }
    throw toAuthError(error, 'callback')
  }
}
