import { AuthError } from '@oauth-enclave/client'
import { afterEach, describe, expect, it } from 'vitest'
import { AuthProvider, useAuth, useAuthFetch, type AuthContextValue } from '../src/index'
import { createFakeClient, type FakeClient } from './support/fake-client'
import { cleanup, render, settle } from './support/render'

afterEach(cleanup)

/** What `useAuth()` returns inside an `AuthProvider` of `client`, once it has settled. */
async function renderedAuth(client: FakeClient): Promise<AuthContextValue> {
  let auth: AuthContextValue | undefined
  function Probe() {
    auth = useAuth()
    return null
  }
  await render(
    <AuthProvider client={client}>
      <Probe />
    </AuthProvider>,
  )
  await settle()
  return auth!
}

describe('useAuth', () => {
  it('gives the client’s own login and logout', async () => {
    const client = createFakeClient()
    const auth = await renderedAuth(client)
    await auth.login()
    await auth.loginWithPopup()
    await auth.logout()
    expect(client.calls).toMatchObject({ login: [{}], loginWithPopup: 1, logout: 1 })
    expect(auth.client).toBe(client)
  })

  it('restores with a prompt=none login back to this page, or to the returnTo given', async () => {
    const client = createFakeClient()
    const auth = await renderedAuth(client)
    await auth.restore()
    await auth.restore({ returnTo: '/orders' })
    expect(client.calls.login).toEqual([
      { prompt: 'none', returnTo: location.href },
      { prompt: 'none', returnTo: '/orders' },
    ])
  })

  it('throws a config_error outside an AuthProvider', async () => {
    let thrown: unknown
    function Orphan() {
      try {
        useAuth()
      } catch (error) {
        thrown = error
      }
      return null
    }
    await render(<Orphan />)
    expect(thrown).toBeInstanceOf(AuthError)
    expect((thrown as AuthError).code).toBe('config_error')
  })
})

describe('useAuthFetch', () => {
  it('is the client’s fetch, the same function on every render', async () => {
    const client = createFakeClient()
    const seen: unknown[] = []
    function Probe() {
      seen.push(useAuthFetch())
      return null
    }
    await render(
      <AuthProvider client={client}>
        <Probe />
      </AuthProvider>,
    )
    await settle()
    expect(seen.length).toBeGreaterThan(1)
    expect(new Set(seen)).toEqual(new Set([client.fetch]))
  })
})
