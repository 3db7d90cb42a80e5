import { AuthError, createAuthClient, isAuthError } from '@oauth-enclave/client'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { AuthProvider, useAuth } from '../src/index'

/** Server rendering (Next.js, a prerender): Node, no DOM. */
function Status() {
  const { isLoading, isAuthenticated } = useAuth()
  return <p>{isLoading ? 'loading' : isAuthenticated ? 'signed in' : 'signed out'}</p>
}

describe('on the server', () => {
  it('has no DOM here', () => {
    expect(typeof window).toBe('undefined')
    expect(typeof Worker).toBe('undefined')
  })

  it('AuthProvider given a factory renders the loading state and never calls the factory', () => {
    let calls = 0
    const factory = () => {
      calls++
      return createAuthClient({ issuer: 'https://id.example.com', clientId: 'spa', redirectUri: '/' })
    }
    const html = renderToString(
      <AuthProvider client={factory}>
        <Status />
      </AuthProvider>,
    )
    expect(html).toBe('<p>loading</p>')
    expect(calls).toBe(0)
  })

  it('the stand-in client rejects with config_error until the factory has run', async () => {
    let seen: unknown
    function Grab() {
      seen = useAuth().login()
      return null
    }
    renderToString(
      <AuthProvider client={() => createAuthClient({ issuer: 'x', clientId: 'x', redirectUri: 'x' })}>
        <Grab />
      </AuthProvider>,
    )
    await expect(seen).rejects.toSatisfy((error) => isAuthError(error, 'config_error'))
  })

  it('createAuthClient throws a config_error that says it is browser only', () => {
    let thrown: unknown
    try {
      createAuthClient({ issuer: 'https://id.example.com', clientId: 'spa', redirectUri: '/' })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(AuthError)
    expect((thrown as AuthError).code).toBe('config_error')
    expect((thrown as AuthError).message).toContain('browser only')
  })
})
