// @ts-check
/**
 * The peers `pnpm bench` compares with, each a small page of bench/peers/ built with Vite and served
 * on an origin of its own (the demo's provider knows their redirect URIs, the demo's API their
 * origin), and logged in for real against the demo's provider:
 *
 * - `/axa/`: @axa-fr/oidc-client in service-worker mode (its service worker keeps the tokens and adds
 *   them to requests for its trusted domains; the page calls a plain `fetch`);
 * - `/oidc-client-ts/`: oidc-client-ts, the token read by page script and set on a plain `fetch`.
 *
 * Their own origin, because a service worker controls every request of the pages it controls, and
 * because oauth-enclave's client refuses to start under a service worker it was not told of.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build, preview } from 'vite'
import { providerLoginForm, signInAtProvider } from '../e2e/support/provider-login.js'

const HOST = '127.0.0.1'
export const peersPort = Number(process.env.PEERS_PORT ?? 6180)
export const peersOrigin = `http://${HOST}:${peersPort}`
/** Each peer's home page, where its client restores the session and exposes `window.peer`. */
export const PEER_PATHS = /** @type {const} */ ({ axa: '/axa/', oidcClientTs: '/oidc-client-ts/' })
/** To register at the provider. */
export const peerRedirectUris = Object.values(PEER_PATHS).map((path) => `${peersOrigin}${path}callback.html`)

const root = fileURLToPath(new URL('./peers/', import.meta.url))

/**
 * Builds the peers' pages for these servers and serves them.
 *
 * @param {{ issuer: string, clientId: string, scope: string, apiOrigin: string }} servers
 */
export async function servePeers(servers) {
  const outDir = `dist/${peersPort}`
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    define: { __PEERS__: JSON.stringify(servers) },
    plugins: [axaServiceWorkerFiles(servers)],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      rolldownOptions: {
        input: Object.fromEntries(
          Object.entries(PEER_PATHS).flatMap(([name, path]) => [
            [name, `${root}${path}index.html`],
            [`${name}Callback`, `${root}${path}callback.html`],
          ]),
        ),
      },
    },
  })
  return preview({
    root,
    configFile: false,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: HOST, port: peersPort, strictPort: true },
  })
}

/**
 * What @axa-fr/oidc-client's postinstall would copy into an app's public folder: its service worker,
 * and the trusted domains it reads with `importScripts` (the provider, and the API's `/api/`).
 *
 * @param {{ issuer: string, apiOrigin: string }} servers
 * @returns {import('vite').Plugin}
 */
function axaServiceWorkerFiles({ issuer, apiOrigin }) {
  const worker = new URL('./node_modules/@axa-fr/oidc-client-service-worker/dist/OidcServiceWorker.js', import.meta.url)
  const trustedDomains = { default: { oidcDomains: [issuer], accessTokenDomains: [`${apiOrigin}/api/`] } }
  return {
    name: 'axa-service-worker-files',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'axa/OidcServiceWorker.js', source: readFileSync(worker) })
      this.emitFile({
        type: 'asset',
        fileName: 'axa/OidcTrustedDomains.js',
        source: `const trustedDomains = ${JSON.stringify(trustedDomains)}\n`,
      })
    },
  }
}

/**
 * Opens the peer's page and, signed out, logs in through its button and the provider (straight
 * back when the browser has a session there already); resolves once `window.peer` is signed in.
 *
 * @param {import('playwright').Page} page
 * @param {keyof typeof PEER_PATHS} peer
 * @param {string} name the login name at the provider
 */
export async function loginPeer(page, peer, name) {
  const home = `${peersOrigin}${PEER_PATHS[peer]}`
  const status = page.getByTestId('status')
  await page.goto(home)
  await status.filter({ hasText: /^Signed (in|out)$/ }).waitFor()
  if ((await status.textContent()) === 'Signed out') {
    await page.getByRole('button', { name: 'Log in' }).click()
    const signedIn = status.filter({ hasText: 'Signed in' })
    await providerLoginForm(page).or(signedIn).waitFor()
    if (await providerLoginForm(page).isVisible()) await signInAtProvider(page, name)
    await page.waitForURL(home)
  }
  await status.filter({ hasText: 'Signed in' }).waitFor()
}
