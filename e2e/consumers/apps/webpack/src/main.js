import { AuthError, createAuthClient } from '@oauth-enclave/client'

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
  const config = await (await fetch('/config.json')).json()
  const auth = createAuthClient({
    issuer: config.issuer,
    clientId: config.clientId,
    redirectUri: `${location.origin}/callback`,
    postLogoutRedirectUri: `${location.origin}/`,
    scope: config.scope,
    allowedOrigins: [`${config.apiOrigin}/api/`],
  })
  $('login').addEventListener('click', () => auth.login().catch(showError))
  $('logout').addEventListener('click', () => auth.logout().catch(showError))
  $('call-api').addEventListener('click', async () => {
    try {
      const response = await auth.fetch(`${config.apiOrigin}/api/me`)
      $('api-result').textContent = `${response.status}\n${JSON.stringify(await response.json(), null, 2)}`
    } catch (error) {
      showError(error)
    }
  })
  auth.subscribe(render)
  if (auth.isRedirectCallback()) {
    const { returnTo } = await auth.handleRedirectCallback()
    history.replaceState(null, '', returnTo ?? '/')
  }
  render(await auth.getState())
}

start().catch(showError)
