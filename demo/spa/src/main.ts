import { AuthError, createAuthClient, type AuthClient, type AuthState } from '@oauth-enclave/client'
import { authOptions } from './auth-options'

const config = __DEMO_CONFIG__

// Pinned mode: the worker is the demo's own file, whose configuration page script cannot change.
const auth = createAuthClient({
  ...authOptions,
  worker: (Worker) =>
    new Worker(new URL('./auth.worker.ts', import.meta.url), { type: 'module', name: 'oauth-enclave' }),
})

declare global {
  interface Window {
    /** The demo's client, for the console and the e2e suite. It holds no token. */
    auth: AuthClient
    /**
     * The SDK's factory, to try other options from the console (redirect to `/callback-alt`). Its
     * clients use the package's own worker (quick-start mode).
     */
    createAuthClient: typeof createAuthClient
    demoConfig: typeof config
  }
}
window.auth = auth
window.createAuthClient = createAuthClient
window.demoConfig = config

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T

function showError(error: unknown): void {
  const box = $('error')
  box.hidden = false
  box.textContent = error instanceof AuthError ? `${error.code}: ${error.message}` : String(error)
}

function render(state: AuthState): void {
  $('status').textContent = state.authenticated ? 'Signed in' : 'Signed out'
  $('signed-in').hidden = !state.authenticated
  $('signed-out').hidden = state.authenticated
  $('user').textContent = state.user ? JSON.stringify(state.user, null, 2) : ''
  $('expiry').textContent =
    state.expiresAt === null
      ? ''
      : `Access token (${state.tokenType ?? 'Bearer'}) valid until ${new Date(state.expiresAt).toLocaleTimeString()}`
  if (!state.authenticated) $('api-result').textContent = ''
}

$('login').addEventListener('click', () => {
  auth.login().catch(showError)
})

$('logout').addEventListener('click', () => {
  auth.logout().catch(showError)
})

$('call-api').addEventListener('click', async () => {
  try {
    const response = await auth.fetch(`${config.apiOrigin}/api/me`)
    $('api-result').textContent = `${response.status}\n${JSON.stringify(await response.json(), null, 2)}`
  } catch (error) {
    showError(error)
  }
})

auth.subscribe(render)

async function start(): Promise<void> {
  if (auth.isRedirectCallback()) {
    try {
      const { returnTo } = await auth.handleRedirectCallback()
      history.replaceState(null, '', returnTo ?? '/')
    } catch (error) {
      history.replaceState(null, '', '/')
      showError(error)
    }
  }
  render(await auth.getState())
}

start().catch(showError)
