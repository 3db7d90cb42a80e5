import { endSessionUrl } from '../protocol/end-session'
import type { ProviderContext } from '../protocol/provider'
import { revokeToken } from '../protocol/revocation'
import type { LogoutResult } from '../shared/wire'
import type { ActiveSession, Session } from './session'

export interface LogoutDeps {
  readonly session: Session
  readonly provider: () => Promise<ProviderContext>
  readonly postLogoutRedirectUri: string | null
}

/**
 * Revokes the tokens of a session already ended (RFC 7009): the refresh token, the access token and
 * every API's own. Failures are ignored: the session is already erased.
 */
export async function revokeSession(ctx: ProviderContext, ended: ActiveSession): Promise<void> {
  const { tokens, dpop } = ended
  // RFC 7009 §2.1: revoking the refresh token first also ends its access tokens at most
  // providers; both are tried, and a failure does not keep the session.
  if (tokens.refreshToken) await revokeToken(ctx, tokens.refreshToken, 'refresh_token', dpop).catch(() => false)
  for (const accessToken of [tokens.accessToken, ...Object.values(ended.apis).map((api) => api.accessToken)]) {
    await revokeToken(ctx, accessToken, 'access_token', dpop).catch(() => false)
  }
}

/**
 * Ends the session in every tab, then revokes its tokens ({@link revokeSession}) and builds the
 * RP-initiated logout URL (OpenID Connect RP-Initiated Logout 1.0 §2). Revocation failures do not
 * keep the session: it is erased first.
 *
 * @param returnTo where to go when the provider has no end-session endpoint; already checked to be
 *   on the page's origin.
 * @param idTokenHint whether the URL carries the session's ID token as `id_token_hint` (§2): the
 *   app's explicit choice, as the page then handles the ID token in that URL.
 */
export async function logout(deps: LogoutDeps, returnTo: string | null, idTokenHint = false): Promise<LogoutResult> {
  const ended = await deps.session.end(null)
  const ctx = await deps.provider().catch(() => null)
  if (ended && ctx) await revokeSession(ctx, ended)
  // Only the ID token, never an access or refresh token, and only of the session just ended.
  const hint = idTokenHint ? (ended?.tokens.idToken ?? null) : null
  const endSession = ctx ? endSessionUrl(ctx, deps.postLogoutRedirectUri, hint) : null
  return { url: endSession?.href ?? returnTo ?? deps.postLogoutRedirectUri }
}
