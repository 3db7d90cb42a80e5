import { AuthError, createAuthClient, type RedirectResult } from '@oauth-enclave/client'
import { act, StrictMode } from 'react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AuthProvider, useAuth } from '../src/index'
import { createFakeClient, SIGNED_IN, SIGNED_OUT } from './support/fake-client'
import { cleanup, render, settle } from './support/render'

function Status() {
  const { isLoading, isAuthenticated, user, error } = useAuth()
  if (isLoading) return <p>loading</p>
  if (error) return <p>error: {error instanceof AuthError ? error.code : error.message}</p>
  return <p>{isAuthenticated ? `signed in as ${user?.sub}` : 'signed out'}</p>
}

const home = location.href

afterEach(async () => {
  await cleanup()
  history.replaceState(history.state, '', home)
})

describe('AuthProvider', () => {
  it('shows loading, then the state the client reports', async () => {
    const client = createFakeClient(SIGNED_OUT)
    const view = await render(
      <AuthProvider client={client}>
        <Status />
      </AuthProvider>,
    )
    await settle()
    expect(view.textContent).toBe('signed out')
    expect(client.calls.handleRedirectCallback).toEqual([])
  })

  it('follows the state the client pushes (another tab logged in or out, a refresh failed)', async () => {
    const client = createFakeClient(SIGNED_OUT)
    const view = await render(
      <AuthProvider client={client}>
        <Status />
      </AuthProvider>,
    )
    await settle()
    await act(async () => client.emit(SIGNED_IN))
    expect(view.textContent).toBe('signed in as alice')
    await act(async () => client.emit({ ...SIGNED_OUT, reason: 'login_required' }))
    expect(view.textContent).toBe('signed out')
  })

  describe('on the redirect callback, under StrictMode (effects run twice)', () => {
    const callbackUrl = () => `${location.origin}/callback?code=c0de&state=st4te`
    beforeEach(() => {
      history.replaceState(history.state, '', callbackUrl())
    })

    it('handles the callback once and calls onRedirectCallback once', async () => {
      const client = createFakeClient(SIGNED_OUT)
      const results: RedirectResult[] = []
      const view = await render(
        <StrictMode>
          <AuthProvider client={client} onRedirectCallback={(result) => results.push(result)}>
            <Status />
          </AuthProvider>
        </StrictMode>,
      )
      expect(view.textContent).toBe('loading')
      await act(async () => {
        client.emit(SIGNED_IN)
        client.finishCallback({ returnTo: `${location.origin}/account`, user: { sub: 'alice' } })
      })
      await settle()
      expect(client.calls.handleRedirectCallback).toEqual([callbackUrl()])
      expect(results).toEqual([{ returnTo: `${location.origin}/account`, user: { sub: 'alice' } }])
      expect(view.textContent).toBe('signed in as alice')
    })

    it('goes to returnTo without a navigation when there is no onRedirectCallback', async () => {
      const client = createFakeClient(SIGNED_OUT)
      await render(
        <StrictMode>
          <AuthProvider client={client}>
            <Status />
          </AuthProvider>
        </StrictMode>,
      )
      client.finishCallback({ returnTo: `${location.origin}/account?tab=2`, user: { sub: 'alice' } })
      await settle()
      expect(location.href).toBe(`${location.origin}/account?tab=2`)
    })

    it('reports a failed callback as the error, once loading ends', async () => {
      const client = createFakeClient(SIGNED_OUT)
      const results: RedirectResult[] = []
      const view = await render(
        <StrictMode>
          <AuthProvider client={client} onRedirectCallback={(result) => results.push(result)}>
            <Status />
          </AuthProvider>
        </StrictMode>,
      )
      client.finishCallback(new AuthError('invalid_state', 'unknown state'))
      await settle()
      expect(view.textContent).toBe('error: invalid_state')
      expect(results).toEqual([])
      expect(client.calls.handleRedirectCallback).toHaveLength(1)
    })

    it('goes back to the returnTo of a failed callback (a restore the provider could not satisfy)', async () => {
      const client = createFakeClient(SIGNED_OUT)
      const results: RedirectResult[] = []
      const view = await render(
        <AuthProvider client={client} onRedirectCallback={(result) => results.push(result)}>
          <Status />
        </AuthProvider>,
      )
      const returnTo = `${location.origin}/orders`
      client.finishCallback(
        new AuthError('login_required', 'the provider needs the user', { oauthError: 'login_required', returnTo }),
      )
      await settle()
      expect(view.textContent).toBe('error: login_required')
      expect(results).toEqual([{ returnTo, user: null }])
    })
  })

  it('runs with the real client and its worker', async () => {
    const client = createAuthClient({
      issuer: 'https://issuer.example',
      clientId: 'react-test',
      redirectUri: `${location.origin}/callback`,
      persistence: 'memory',
    })
    try {
      const view = await render(
        <StrictMode>
          <AuthProvider client={client}>
            <Status />
          </AuthProvider>
        </StrictMode>,
      )
      // Answered after the provider's own getState (one worker, in order), inside act() so React
      // applies the provider's update before the assertion.
      await act(() => client.getState())
      expect(view.textContent).toBe('signed out')
    } finally {
      client.close()
    }
  })
})
