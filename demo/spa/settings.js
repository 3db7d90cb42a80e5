// @ts-check
/**
 * The demo's addresses, from the environment with local defaults, shared by the SPA's Vite config,
 * `demo/start.js` and the e2e suite. Point the SPA at a real provider with DEMO_ISSUER,
 * DEMO_CLIENT_ID, DEMO_SCOPE and DEMO_API_ORIGIN.
 */
import { strictContentSecurityPolicy } from '../shared/csp.js'

const env = process.env
const HOST = '127.0.0.1'

export const spaPort = Number(env.SPA_PORT ?? 5173)
export const providerPort = Number(env.PROVIDER_PORT ?? 9000)
export const apiPort = Number(env.API_PORT ?? 9100)
export const outsiderPort = Number(env.OUTSIDER_PORT ?? 9200)

export const spaOrigin = `http://${HOST}:${spaPort}`
/** Whether the demo runs its own provider (no DEMO_ISSUER given). */
export const localProvider = !env.DEMO_ISSUER
export const issuer = env.DEMO_ISSUER ?? `http://${HOST}:${providerPort}`
export const clientId = env.DEMO_CLIENT_ID ?? 'demo-spa'
export const scope = env.DEMO_SCOPE ?? 'openid profile email offline_access api:read reports:read'
export const apiOrigin = env.DEMO_API_ORIGIN ?? `http://${HOST}:${apiPort}`
export const outsiderOrigin = `http://${HOST}:${outsiderPort}`
/** A second redirect URI, ignored by the demo's own client, for clients made from the console or tests. */
export const altRedirectUri = `${spaOrigin}/callback-alt`
/** The React demo (demo/react): its own origin, registered at the provider like the SPA's. */
export const reactPort = Number(env.REACT_DEMO_PORT ?? spaPort + 5)
export const reactOrigin = `http://${HOST}:${reactPort}`
export const reactRedirectUri = `${reactOrigin}/callback`
/** More origins the page may connect to (space-separated), e.g. a test's own provider. */
export const extraConnectSrc = (env.DEMO_CONNECT_SRC ?? '').split(' ').filter(Boolean)

/**
 * The demo's Content-Security-Policy: scripts and workers from its own origin only, no inline
 * script, no eval, no blob: workers; connections to the provider and the APIs it calls.
 *
 * @param {{ dev?: boolean, port?: number }} [options] the dev server also needs its HMR websocket, on
 *   `port` (default: the SPA's).
 */
export function contentSecurityPolicy({ dev = false, port = spaPort } = {}) {
  return strictContentSecurityPolicy({
    // The issuer's origin, not the issuer: a source without a trailing `/` matches that URL alone
    // (CSP Level 3, path-part matching), and discovery and the endpoints sit below an issuer such as `…/realms/x`.
    connect: [
      new URL(issuer).origin,
      apiOrigin,
      outsiderOrigin,
      ...extraConnectSrc,
      ...(dev ? [`ws://${HOST}:${port}`] : []),
    ],
    ownAssets: true,
    // DOM XSS sinks take only Trusted Types; the one policy allowed is the SDK's, whose only use is
    // its own worker's URL (packages/client/src/client/create-auth-client.ts).
    // The SDK's policy for its own worker (quick-start clients), and the demo's for its pinned one.
    trustedTypesPolicy: 'oauth-enclave demo-auth-worker',
  })
}
