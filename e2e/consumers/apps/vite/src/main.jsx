import { AuthError, createAuthClient } from '@oauth-enclave/client'
import { AuthProvider, useAuth, useAuthFetch } from '@oauth-enclave/react'
import { StrictMode, useState } from 'react'
import { createRoot } from 'react-dom/client'

const config = await (await fetch('/config.json')).json()

const auth = createAuthClient({
  issuer: config.issuer,
  clientId: config.clientId,
  redirectUri: `${location.origin}/callback`,
  postLogoutRedirectUri: `${location.origin}/`,
  scope: config.scope,
  allowedOrigins: [`${config.apiOrigin}/api/`],
  // The app serves the worker file itself (strict CSP, a fixed URL): the `worker` option.
  ...(config.workerUrl && {
    worker: () => new Worker(config.workerUrl, { type: 'module', name: 'oauth-enclave' }),
  }),
})

function App() {
  const { isLoading, isAuthenticated, user, error, login, logout } = useAuth()
  const authFetch = useAuthFetch()
  const [result, setResult] = useState('')
  const [failure, setFailure] = useState(null)

  async function callApi() {
    try {
      const response = await authFetch(`${config.apiOrigin}/api/me`)
      setResult(`${response.status}\n${JSON.stringify(await response.json(), null, 2)}`)
    } catch (thrown) {
      setFailure(thrown)
    }
  }

  const shown = failure ?? error
  return (
    <>
      <p data-testid="status">{isLoading ? 'Loading…' : isAuthenticated ? 'Signed in' : 'Signed out'}</p>
      {!isLoading && !isAuthenticated && <button onClick={() => login().catch(setFailure)}>Log in</button>}
      {isAuthenticated && (
        <>
          <pre data-testid="user">{JSON.stringify(user)}</pre>
          <button onClick={callApi}>Call the API</button>
          <button onClick={() => logout().catch(setFailure)}>Log out</button>
          <pre data-testid="api-result">{result}</pre>
        </>
      )}
      {shown && (
        <p data-testid="error">{shown instanceof AuthError ? `${shown.code}: ${shown.message}` : String(shown)}</p>
      )}
    </>
  )
}

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <AuthProvider
      client={auth}
      onRedirectCallback={({ returnTo }) => history.replaceState(history.state, '', returnTo ?? '/')}
    >
      <App />
    </AuthProvider>
  </StrictMode>,
)
