import { AuthError } from '../shared/errors'
import type { UserClaims } from '../shared/types'

/**
 * A login that asked for `acr_values` must have got one of them: the ID token's `acr` (OpenID
 * Connect Core §2) is one of the values asked (§3.1.2.1). The provider may answer a voluntary
 * request with a weaker class, but the API that asked for the step-up (RFC 9470 §4) would refuse
 * the token again; refusing it here says why. (`max_age` is checked on `auth_time` by the code
 * exchange.)
 *
 * @throws AuthError `invalid_id_token` when `acr` is missing or not one of `acrValues`.
 */
export function assertAuthenticationContext(claims: UserClaims | null, acrValues: string | null): void {
  if (acrValues === null) return
  const acr = claims?.acr
  if (typeof acr !== 'string' || !acrValues.split(' ').includes(acr)) {
    throw new AuthError('invalid_id_token', 'ID token: "acr" is not one of the acr_values asked for')
  }
}
