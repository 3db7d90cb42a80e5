import type { ProviderContext } from './provider'

/**
 * The RP-Initiated Logout URL (OpenID Connect RP-Initiated Logout 1.0 §2), or `null` when the
 * provider has no `end_session_endpoint`. It names the client by `client_id`; it carries
 * `id_token_hint` only when `idTokenHint` is given, which the app asked for knowing that the ID
 * token then appears in a URL the page handles (never an access or a refresh token).
 *
 * @param idTokenHint the ID token to send as `id_token_hint` (§2: Okta requires it; Keycloak skips
 *   its confirmation page with it), or `null`.
 */
export function endSessionUrl(
  ctx: ProviderContext,
  postLogoutRedirectUri: string | null,
  idTokenHint: string | null = null,
): URL | null {
  const endpoint = ctx.as.end_session_endpoint
  if (typeof endpoint !== 'string') return null
  const url = new URL(endpoint)
  url.searchParams.set('client_id', ctx.client.client_id)
  if (idTokenHint !== null) url.searchParams.set('id_token_hint', idTokenHint)
  if (postLogoutRedirectUri !== null) url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUri)
  return url
}
