import * as oauth from 'oauth4webapi'
import { loopbackHttp } from './loopback'

/** The authorization server, the client, and the request options every protocol step shares. */
export interface ProviderContext {
  readonly as: oauth.AuthorizationServer
  readonly client: oauth.Client
  readonly clientAuth: oauth.ClientAuth
  readonly http: ProviderHttpOptions
}

/** What every request to the provider carries; no custom fetch, so it fits every step's options. */
export type ProviderHttpOptions = Pick<oauth.HttpRequestOptions<'GET'>, 'signal' | typeof oauth.allowInsecureRequests>

/**
 * Request options for `issuer`: plain HTTP only for loopback hosts, which configuration validation
 * already enforced (RFC 8252 §7.3), and a wait of at most `timeoutMs` on every request, after which
 * it fails with `network_error`.
 */
export function httpOptions(issuer: URL, timeoutMs: number): ProviderHttpOptions {
  return {
    ...loopbackHttp(issuer),
    signal: () => AbortSignal.timeout(timeoutMs),
  }
}

/** A public client: `token_endpoint_auth_method` `none` (RFC 6749 §2.1, RFC 7591 §2). */
export function publicClient(clientId: string): Pick<ProviderContext, 'client' | 'clientAuth'> {
  return { client: { client_id: clientId, token_endpoint_auth_method: 'none' }, clientAuth: oauth.None() }
}
