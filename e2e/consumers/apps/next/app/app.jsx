'use client'

import { AuthError } from '@oauth-enclave/client'
import { AuthProvider, useAuth, useAuthFetch } from '@oauth-enclave/react'
import { useState } from 'react'
import { apiOrigin, createClient } from './auth.js'

function Account() {
  const { isLoading, isAuthenticated, user, error, login, logout } = useAuth()
  const authFetch = useAuthFetch()
  const [result, setResult] = useState('')
  const [failure, setFailure] = useState(null)

  async function callApi() {
    try {
      const response = await authFetch(`${apiOrigin}/api/me`)
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

/** The client component: the provider gets the factory, so the prerendered HTML is the loading state. */
export function App() {
  return (
    <AuthProvider
      client={createClient}
      onRedirectCallback={({ returnTo }) => window.history.replaceState(null, '', returnTo ?? '/')}
    >
      <Account />
    </AuthProvider>
  )
}
