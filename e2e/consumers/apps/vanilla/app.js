/**
 * The page of the apps built by Rollup, esbuild and Parcel, and of the app with no bundler: the
 * same buttons and test ids as the Vite app, in plain DOM. Each entry passes in the SDK it imported
 * its own way; `workerUrl`, where given, wins over the one of `/config.json`.
 */
export async function start({ AuthError, createAuthClient }, { workerUrl } = {}) {
  const $ = (id) => document.getElementById(id)
  const showError = (error) => {
    $('error').hidden = false
    $('error').textContent = error instanceof AuthError ? `${error.code}: ${error.message}` : String(error)
  }
  try {
    const config = await (await fetch('/config.json')).json()
    config.workerUrl = workerUrl || config.workerUrl
    const auth = createAuthClient({
      issuer: config.issuer,
      clientId: config.clientId,
      redirectUri: `${location.origin}/callback`,
      postLogoutRedirectUri: `${location.origin}/`,
      scope: config.scope,
      allowedOrigins: [`${config.apiOrigin}/api/`],
      // A worker file the app copied to its own origin: the `worker` option.
      ...(config.workerUrl && {
        worker: () => new Worker(config.workerUrl, { type: 'module', name: 'oauth-enclave' }),
      }),
    })
    const render = (state) => {
      $('status').textContent = state.authenticated ? 'Signed in' : 'Signed out'
      $('login').hidden = state.authenticated
      $('call-api').hidden = !state.authenticated
      $('logout').hidden = !state.authenticated
      $('user').textContent = state.user ? JSON.stringify(state.user) : ''
    }
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
      history.replaceState(history.state, '', returnTo ?? '/')
    }
    await auth.isAuthenticated()
    render(await auth.getState())
  } catch (error) {
    showError(error)
  }
}
