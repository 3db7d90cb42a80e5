import * as oauth from 'oauth4webapi'
import { AuthError } from '../shared/errors'
import { toAuthError } from './errors'
import { httpOptions, publicClient, type ProviderContext } from './provider'

async function fetchMetadata(
  issuer: URL,
  algorithm: 'oidc' | 'oauth2',
  timeoutMs: number,
): Promise<oauth.AuthorizationServer> {
  const response = await oauth.discoveryRequest(issuer, { ...httpOptions(issuer, timeoutMs), algorithm })
  return oauth.processDiscoveryResponse(issuer, response)
}

/**
 * Fetches the provider's metadata: OpenID Connect Discovery 1.0 §4 first, then RFC 8414 §3. The
 * `issuer` in the metadata must be identical to the configured one (RFC 8414 §3.3), which
 * oauth4webapi checks; the exact string is checked here too, as ID tokens' `iss` is compared to it.
 *
 * @param timeoutMs the bound on this and every later request to the provider.
 * @throws AuthError `invalid_response` or `network_error`
 */
export async function discover(issuer: string, clientId: string, timeoutMs: number): Promise<ProviderContext> {
  const issuerUrl = new URL(issuer)
  let as: oauth.AuthorizationServer
  try {
    as = await fetchMetadata(issuerUrl, 'oidc', timeoutMs)
  } catch (oidcError) {
    const mapped = toAuthError(oidcError, 'discovery')
    if (mapped.code === 'network_error') throw mapped
    try {
      as = await fetchMetadata(issuerUrl, 'oauth2', timeoutMs)
    } catch {
      throw mapped
    }
  }
  // RFC 8414 §3.3: identical, not merely equivalent after URL normalisation.
  if (as.issuer !== issuer) {
    throw new AuthError('invalid_response', 'discovery: the metadata is for another issuer')
  }
  if (!as.authorization_endpoint || !as.token_endpoint) {
    throw new AuthError('invalid_response', 'discovery: no authorization or token endpoint')
  }
  return { as, ...publicClient(clientId), http: httpOptions(issuerUrl, timeoutMs) }
}
