import { AuthError, createAuthClient, type AuthClient, type AuthState } from '@oauth-enclave/client'
import { authOptions } from './auth-options'

const config = __DEMO_CONFIG__

interface ScriptUrlPolicy {
  createScriptURL(input: string): unknown
}
/**
 * Under the demo's CSP a worker's script URL must be a TrustedScriptURL: the demo's own policy
 * (listed in the CSP) passes a script this origin serves, and nothing else.
 */
const workerPolicy = (
  window as { trustedTypes?: { createPolicy(name: string, rules: object): ScriptUrlPolicy } }
).trustedTypes?.createPolicy('demo-auth-worker', {
  createScriptURL(url: string) {
    if (!url.startsWith(`${location.origin}/`)) throw new TypeError(url)
    return url
  },
})
function TrustedWorker(url: URL, options: WorkerOptions): Worker {
  return new window.Worker((workerPolicy?.createScriptURL(url.href) ?? url) as string | URL, options)
}

// Pinned mode: the worker is the demo's own file, whose configuration page script cannot change.
// `Worker` is TrustedWorker, as a parameter: the expression keeps the literal form bundlers find.
const auth = createAuthClient({
  ...authOptions,
  worker: (Worker = TrustedWorker as unknown as typeof window.Worker) =>
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

// The page stays as it is: the popup's callback hands the response to this tab (BroadcastChannel).
$('login-popup').addEventListener('click', () => {
  auth.loginWithPopup().catch(showError)
})

// A session from the provider's own, without the user (prompt=none); where the provider needs the
// user, the callback comes back here with login_required.
$('restore').addEventListener('click', () => {
  auth.login({ prompt: 'none', returnTo: location.href }).catch(showError)
})

$('logout').addEventListener('click', () => {
  auth.logout().catch(showError)
})

async function callApi(path: string): Promise<void> {
  try {
    const response = await auth.fetch(`${config.apiOrigin}${path}`)
    $('api-result').textContent = `${response.status}\n${JSON.stringify(await response.json(), null, 2)}`
  } catch (error) {
    // RFC 9470: the API wants a stronger login; the session is still there, the user chooses.
    if (error instanceof AuthError && error.code === 'step_up_required') {
      stepUp = {
        ...(error.acrValues && { acrValues: error.acrValues }),
        ...(error.maxAge !== undefined && { maxAge: error.maxAge }),
      }
      $('api-result').textContent = `step_up_required: ${error.acrValues ?? ''} ${error.maxAge ?? ''}`.trim()
      $('step-up').hidden = false
    } else showError(error)
  }
}

/** What the last `step_up_required` asked for. */
let stepUp: { acrValues?: string; maxAge?: number } = {}

$('call-api').addEventListener('click', () => void callApi('/api/me'))
$('call-reports').addEventListener('click', () => void callApi('/reports/summary'))
$('call-step-up').addEventListener('click', () => void callApi('/api/step-up'))
$('step-up').addEventListener('click', () => {
  auth.login({ ...stepUp, returnTo: location.href }).catch(showError)
})

auth.subscribe(render)

async function start(): Promise<void> {
  if (auth.isRedirectCallback()) {
    try {
      const { returnTo } = await auth.handleRedirectCallback()
      history.replaceState(history.state, '', returnTo ?? '/')
    } catch (error) {
      // Back where the login started, e.g. after a restore the provider could not satisfy.
      history.replaceState(history.state, '', (error instanceof AuthError && error.returnTo) || '/')
      showError(error)
    }
  }
  render(await auth.getState())
}

start().catch(showError)
