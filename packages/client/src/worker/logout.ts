import { endSessionUrl } from '../protocol/end-session'
import type { AuthError } from '../shared/errors'
import type { ProviderContext } from '../protocol/provider'
import { revokeTokens } from '../protocol/revocation'
import type { LogoutResult } from '../shared/types'
import type { LogoutAnswer } from '../shared/wire'
import type { ActiveSession, Session } from './session'

export interface LogoutDeps {
  readonly session: Session
  readonly provider: () => Promise<ProviderContext>
  readonly postLogoutRedirectUri: string | null
}

/**
 * Revokes the tokens of a session already ended (RFC 7009): the refresh token, the access token and
 * every API's own ({@link revokeTokens}). The session is already erased, whatever comes of it.
 */
export async function revokeSession(ctx: ProviderContext, ended: ActiveSession): Promise<LogoutResult> {
  const { tokens, apis } = ended
  return revokeTokens(ctx, tokens.refreshToken, [
    tokens.accessToken,
    ...Object.values(apis).map((api) => api.accessToken),
  ])
}

/**
 * Ends the session in every tab, then revokes its tokens ({@link revokeSession}) and builds the
 * RP-initiated logout URL (OpenID Connect RP-Initiated Logout 1.0 §2). Revocation failures do not
 * keep the session: it is erased first; they are reported in the answer's `result`. A provider that
 * cannot be reached at all is `failed` with `network_error`.
 *
 * @param returnTo where to go when the provider has no end-session endpoint; already checked to be
 *   on the page's origin.
 * @param idTokenHint whether the URL carries the session's ID token as `id_token_hint` (§2): the
 *   app's explicit choice, as the page then handles the ID token in that URL.
 */
export async function logout(deps: LogoutDeps, returnTo: string | null, idTokenHint = false): Promise<LogoutAnswer> {
  const ended = await deps.session.end(null)
  let unreachable: LogoutResult['failure']
  const ctx = await deps.provider().catch(({ code }: AuthError) => {
    unreachable = { code }
    return null
  })
  const result: LogoutResult = !ended
    ? { revocation: 'no_session' }
    : ctx
      ? await revokeSession(ctx, ended)
      : { revocation: 'failed', failure: unreachable }
  // Only the ID token, never an access or refresh token, and only of the session just ended.
  const hint = idTokenHint ? (ended?.tokens.idToken ?? null) : null
  const endSession = ctx ? endSessionUrl(ctx, deps.postLogoutRedirectUri, hint) : null
  return { ...result, url: endSession?.href ?? returnTo ?? deps.postLogoutRedirectUri }
}
