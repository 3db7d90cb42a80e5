// @ts-check
/**
 * @axa-fr/oidc-client in service-worker mode, the one peer that also keeps tokens from page script:
 * its service worker holds them and adds `Authorization` to requests for the trusted domains
 * (OidcTrustedDomains.js, written by bench/peers.js), so the page calls a plain `fetch`.
 * `?cold`: a returning user's first call, timed from navigation start (bench/bench.js).
 */
import { OidcClient } from '@axa-fr/oidc-client'
import { reportCold, showStatus } from '../page.js'

const config = __PEERS__
const oidc = OidcClient.getOrCreate(() => fetch)({
  client_id: config.clientId,
  redirect_uri: `${location.origin}/axa/callback.html`,
  scope: config.scope,
  authority: config.issuer,
  service_worker_relative_url: '/axa/OidcServiceWorker.js',
  // Never its sessionStorage fallback: the tokens stay in the service worker or nowhere.
  service_worker_only: true,
})

async function start() {
  if (location.pathname.endsWith('/callback.html')) {
    await oidc.loginCallbackAsync()
    location.replace('/axa/')
    return
  }
  await oidc.tryKeepExistingSessionAsync()
  const signedIn = Boolean(oidc.tokens)
  if (location.search === '?cold') return reportCold((url) => fetch(url))
  window.peer = { fetch: (url, init) => fetch(url, init), signedIn }
  showStatus(signedIn, () => oidc.loginAsync('/axa/'))
}

void start()
