import { AuthError, createAuthClient, type RedirectResult } from '@oauth-enclave/client'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAuth } from '../src/index'
import { createFakeClient, SIGNED_IN, SIGNED_OUT } from './support/fake-client'
import { cleanup, render, settle } from './support/mount'
import Status from './support/Status.svelte'

const home = location.href

afterEach(() => {
  cleanup()
  history.replaceState(history.state, '', home)
})

describe('createAuth', () => {
  it('shows loading, then the state the client reports', async () => {
    const client = createFakeClient(SIGNED_OUT)
    const view = render(Status, { auth: createAuth(client) })
    expect(view.textContent).toBe('loading')
    await settle()
    expect(view.textContent).toBe('signed out')
    expect(client.calls.handleRedirectCallback).toEqual([])
  })

  it('follows the state the client pushes (another tab, a refresh that failed, an idle warning)', async () => {
    const client = createFakeClient(SIGNED_OUT)
    const view = render(Status, { auth: createAuth(client) })
    await settle()
    client.emit(SIGNED_IN)
    await settle()
    expect(view.textContent).toBe('signed in as alice')
    client.emit({ ...SIGNED_IN, idleWarning: { expiresAt: Date.now() + 60_000, secondsLeft: 60 } })
    await settle()
    expect(view.textContent).toBe('signed in as alice, idle for 60 s')
    client.emit({ ...SIGNED_OUT, reason: 'login_required' })
    await settle()
    expect(view.textContent).toBe('signed out')
  })

  it('answers reads outside any template or effect with the current values', async () => {
    const client = createFakeClient(SIGNED_OUT)
    const auth = createAuth(client)
    expect(auth.isLoading).toBe(true)
    await settle()
    client.emit(SIGNED_IN)
    expect([auth.isLoading, auth.isAuthenticated, auth.user, auth.error]).toEqual([false, true, { sub: 'alice' }, null])
    expect(auth.state).toBe(SIGNED_IN)
  })

  it('creates the client from a factory once, in the browser', async () => {
    const client = createFakeClient(SIGNED_IN)
    let created = 0
    const auth = createAuth(() => (created++, client))
    const view = render(Status, { auth })
    await settle()
    await auth.login()
    expect(created).toBe(1)
    expect(auth.client).toBe(client)
    expect(view.textContent).toBe('signed in as alice')
  })

  describe('on the redirect callback', () => {
    const callbackUrl = () => `${location.origin}/callback?code=c0de&state=st4te`
    beforeEach(() => {
      history.replaceState(history.state, '', callbackUrl())
    })

    it('handles the callback once and calls onRedirectCallback once, however many follow one client', async () => {
      const client = createFakeClient(SIGNED_OUT)
      const results: RedirectResult[] = []
      const onRedirectCallback = (result: RedirectResult) => results.push(result)
      const first = render(Status, { auth: createAuth(client, { onRedirectCallback }) })
      const second = render(Status, { auth: createAuth(client, { onRedirectCallback }) })
      expect(first.textContent).toBe('loading')
      client.emit(SIGNED_IN)
      client.finishCallback({ returnTo: `${location.origin}/account`, user: { sub: 'alice' } })
      await settle()
      expect(client.calls.handleRedirectCallback).toEqual([callbackUrl()])
      expect(results).toEqual([{ returnTo: `${location.origin}/account`, user: { sub: 'alice' } }])
      expect(first.textContent).toBe('signed in as alice')
      expect(second.textContent).toBe('signed in as alice')
    })

    it('goes to returnTo without a navigation when there is no onRedirectCallback', async () => {
      const client = createFakeClient(SIGNED_OUT)
      createAuth(client)
      client.finishCallback({ returnTo: `${location.origin}/account?tab=2`, user: { sub: 'alice' } })
      await settle()
      expect(location.href).toBe(`${location.origin}/account?tab=2`)
    })

    it('reports a failed callback as the error, once loading ends', async () => {
      const client = createFakeClient(SIGNED_OUT)
      const results: RedirectResult[] = []
      const view = render(Status, {
        auth: createAuth(client, { onRedirectCallback: (result) => results.push(result) }),
      })
      client.finishCallback(new AuthError('invalid_state', 'unknown state'))
      await settle()
      expect(view.textContent).toBe('error: invalid_state')
      expect(results).toEqual([])
      expect(client.calls.handleRedirectCallback).toHaveLength(1)
    })

    it('goes back to the returnTo of a failed callback (a restore the provider could not satisfy), once', async () => {
      const client = createFakeClient(SIGNED_OUT)
      const results: RedirectResult[] = []
      const onRedirectCallback = (result: RedirectResult) => results.push(result)
      const view = render(Status, { auth: createAuth(client, { onRedirectCallback }) })
      createAuth(client, { onRedirectCallback })
      const returnTo = `${location.origin}/orders`
      client.finishCallback(
        new AuthError('login_required', 'the provider needs the user', { oauthError: 'login_required', returnTo }),
      )
      await settle()
      expect(view.textContent).toBe('error: login_required')
      expect(results).toEqual([{ returnTo, user: null }])
    })
  })

  describe('actions', () => {
    it('are the client’s login, loginWithPopup, logout and fetch', async () => {
      const client = createFakeClient()
      const auth = createAuth(client)
      await auth.login({ returnTo: '/orders' })
      await auth.loginWithPopup()
      await auth.logout()
      expect(await (await auth.fetch('https://api.example/me')).text()).toBe('fake')
      expect(client.calls).toMatchObject({ login: [{ returnTo: '/orders' }], loginWithPopup: 1, logout: 1 })
    })

    it('restore is a prompt=none login back to this page, or to the returnTo given', async () => {
      const client = createFakeClient()
      const auth = createAuth(client)
      await auth.restore()
      await auth.restore({ returnTo: '/orders' })
      expect(client.calls.login).toEqual([
        { prompt: 'none', returnTo: location.href },
        { prompt: 'none', returnTo: '/orders' },
      ])
    })
  })

  it('runs with the real client and its worker', async () => {
    const client = createAuthClient({
      issuer: 'https://issuer.example',
      clientId: 'svelte-test',
      redirectUri: `${location.origin}/callback`,
      persistence: 'memory',
    })
    try {
      const view = render(Status, { auth: createAuth(client) })
      // Answered after createAuth's own getState: one worker, in order.
      await client.getState()
      await settle()
      expect(view.textContent).toBe('signed out')
    } finally {
      client.close()
    }
  })
})
