import { AuthError, createAuthClient } from '@oauth-enclave/client'
import { apiOrigin, authOptions } from './auth-options.js'

const $ = (id) => document.getElementById(id)

function showError(error) {
  $('error').hidden = false
  $('error').textContent = error instanceof AuthError ? `${error.code}: ${error.message}` : String(error)
}

function render(state) {
  $('status').textContent = state.authenticated ? 'Signed in' : 'Signed out'
  $('login').hidden = state.authenticated
  $('call-api').hidden = !state.authenticated
  $('logout').hidden = !state.authenticated
  $('user').textContent = state.user ? JSON.stringify(state.user) : ''
}

async function start() {
  // Pinned mode: the worker is the app's own file, which webpack bundles as a worker chunk (it sees
  // the global `Worker`); the page's options are the same module's.
  const auth = createAuthClient({
    ...authOptions,
    worker: () => new Worker(new URL('./auth.worker.js', import.meta.url), { type: 'module', name: 'oauth-enclave' }),
  })
  $('login').addEventListener('click', () => auth.login().catch(showError))
  $('logout').addEventListener('click', () => auth.logout().catch(showError))
  $('call-api').addEventListener('click', async () => {
    try {
      const response = await auth.fetch(`${apiOrigin}/api/me`)
      $('api-result').textContent = `${response.status}\n${JSON.stringify(await response.json(), null, 2)}`
    } catch (error) {
      showError(error)
    }
  })
  auth.subscribe(render)
  if (auth.isRedirectCallback()) {
    const { returnTo } = await auth.handleRedirectCallback()
    history.replaceState(history.state, '', returnTo ?? '/')
  }
  render(await auth.getState())
}

start().catch(showError)
