import type { ProviderContext } from './provider'

/**
 * The RP-Initiated Logout URL (OpenID Connect RP-Initiated Logout 1.0 §2), or `null` when the
 * provider has no `end_session_endpoint`. It names the client by `client_id` rather than sending
 * `id_token_hint`, so no token ever appears in a URL the page handles.
 */
export function endSessionUrl(ctx: ProviderContext, postLogoutRedirectUri: string | null): URL | null {
  const endpoint = ctx.as.end_session_endpoint
  if (typeof endpoint !== 'string') return null
  const url = new URL(endpoint)
  url.searchParams.set('client_id', ctx.client.client_id)
  if (postLogoutRedirectUri !== null) url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUri)
  return url
}
