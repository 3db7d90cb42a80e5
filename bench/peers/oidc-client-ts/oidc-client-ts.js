// @ts-check
/**
 * oidc-client-ts as most apps use it today: the token is read by page script (its `User`, kept in
 * sessionStorage) and set on a plain `fetch`. `?cold`: a returning user's first call, timed from
 * navigation start (bench/bench.js).
 */
import { UserManager } from 'oidc-client-ts'
import { reportCold, showStatus } from '../page.js'

const config = __PEERS__
const users = new UserManager({
  authority: config.issuer,
  client_id: config.clientId,
  redirect_uri: `${location.origin}/oidc-client-ts/callback.html`,
  scope: config.scope,
  response_type: 'code',
})

/** Its documented pattern: get the user, put its access token on the request. @type {Window['peer']['fetch']} */
async function peerFetch(url, init = {}) {
  const user = await users.getUser()
  return fetch(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${user?.access_token}` } })
}

async function start() {
  if (location.pathname.endsWith('/callback.html')) {
    await users.signinRedirectCallback()
    location.replace('/oidc-client-ts/')
    return
  }
  if (location.search === '?cold') return reportCold(peerFetch)
  const signedIn = Boolean(await users.getUser())
  window.peer = { fetch: peerFetch, signedIn }
  showStatus(signedIn, () => users.signinRedirect())
}

void start()
