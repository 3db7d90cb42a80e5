import { AuthError } from '@oauth-enclave/client'
import { useAuth, useAuthFetch } from '@oauth-enclave/react'
import { useState } from 'react'

function describe(error: unknown): string {
  return error instanceof AuthError ? `${error.code}: ${error.message}` : String(error)
}

export function App({ apiOrigin }: { apiOrigin: string }) {
  const { isLoading, isAuthenticated, user, state, error, login, logout } = useAuth()
  const authFetch = useAuthFetch()
  const [apiResult, setApiResult] = useState('')
  const [actionError, setActionError] = useState<unknown>(null)

  async function callApi(): Promise<void> {
    try {
      const response = await authFetch(`${apiOrigin}/api/me`)
      setApiResult(`${response.status}\n${JSON.stringify(await response.json(), null, 2)}`)
    } catch (thrown) {
      setActionError(thrown)
    }
  }

  const shown = actionError ?? error
  return (
    <>
      <h1>oauth-enclave React demo</h1>
      <p className="lead">The same sign-in, through {'<AuthProvider>'} and useAuth(); every token stays in a worker.</p>
      <p data-testid="status" aria-live="polite">
        {isLoading ? 'Loading…' : isAuthenticated ? 'Signed in' : 'Signed out'}
      </p>
      {!isLoading && !isAuthenticated && (
        <button type="button" onClick={() => login().catch(setActionError)}>
          Log in
        </button>
      )}
      {isAuthenticated && (
        <section>
          <h2>You</h2>
          <pre data-testid="user">{JSON.stringify(user, null, 2)}</pre>
          {state?.expiresAt != null && (
            <p data-testid="expiry">
              Access token ({state.tokenType ?? 'Bearer'}) valid until {new Date(state.expiresAt).toLocaleTimeString()}
            </p>
          )}
          <button type="button" onClick={() => void callApi()}>
            Call the API
          </button>
          <button type="button" onClick={() => logout().catch(setActionError)}>
            Log out
          </button>
          <h2>The API's answer</h2>
          <pre data-testid="api-result">{apiResult}</pre>
        </section>
      )}
      {shown !== null && (
        <p id="error" data-testid="error" role="alert">
          {describe(shown)}
        </p>
      )}
    </>
  )
}
