import { AuthError, createAuthClient, type RedirectResult } from '@oauth-enclave/client'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAuth } from '../src/index'
import { createFakeClient, SIGNED_IN, SIGNED_OUT } from './support/fake-client'
import { cleanup, mount, settle } from './support/mount'
import { Status } from './support/status'

const home = location.href

afterEach(() => {
  cleanup()
  history.replaceState(history.state, '', home)
})

describe('createAuth', () => {
  it('shows loading, then the state the client reports', async () => {
    const client = createFakeClient(SIGNED_OUT)
    const { element } = mount(Status, createAuth(client))
    expect(element.textContent).toBe('loading')
    await settle()
    expect(element.textContent).toBe('signed out')
    expect(client.calls.handleRedirectCallback).toEqual([])
  })

  it('follows the state the client pushes (another tab, a refresh that failed, an idle warning)', async () => {
    const client = createFakeClient(SIGNED_OUT)
    const { element } = mount(Status, createAuth(client))
    await settle()
    client.emit(SIGNED_IN)
    await settle()
    expect(element.textContent).toBe('signed in as alice')
    client.emit({ ...SIGNED_IN, idleWarning: { expiresAt: Date.now() + 60_000, secondsLeft: 60 } })
    await settle()
    expect(element.textContent).toBe('signed in as alice, idle for 60 s')
    client.emit({ ...SIGNED_OUT, reason: 'login_required' })
    await settle()
    expect(element.textContent).toBe('signed out')
  })

  it('creates the client from a factory once, when installed in the browser', async () => {
    const client = createFakeClient(SIGNED_IN)
    let created = 0
    const auth = createAuth(() => (created++, client))
    expect(created).toBe(0)
    const { element } = mount(Status, auth)
    await settle()
    expect(created).toBe(1)
    expect(auth.client.value).toBe(client)
    expect(element.textContent).toBe('signed in as alice')
    await auth.login()
    expect(created).toBe(1)
  })

  it('stops following the client when the app unmounts', async () => {
    const client = createFakeClient(SIGNED_OUT)
    const auth = createAuth(client)
    const { app } = mount(Status, auth)
    await settle()
    app.unmount()
    client.emit(SIGNED_IN)
    expect(auth.isAuthenticated.value).toBe(false)
  })

  describe('on the redirect callback', () => {
    const callbackUrl = () => `${location.origin}/callback?code=c0de&state=st4te`
    beforeEach(() => {
      history.replaceState(history.state, '', callbackUrl())
    })

    it('handles the callback once and calls onRedirectCallback once, with two apps on one client', async () => {
      const client = createFakeClient(SIGNED_OUT)
      const results: RedirectResult[] = []
      const onRedirectCallback = (result: RedirectResult) => results.push(result)
      const first = mount(Status, createAuth(client, { onRedirectCallback }))
      const second = mount(Status, createAuth(client, { onRedirectCallback }))
      expect(first.element.textContent).toBe('loading')
      client.emit(SIGNED_IN)
      client.finishCallback({ returnTo: `${location.origin}/account`, user: { sub: 'alice' } })
      await settle()
      expect(client.calls.handleRedirectCallback).toEqual([callbackUrl()])
      expect(results).toEqual([{ returnTo: `${location.origin}/account`, user: { sub: 'alice' } }])
      expect(first.element.textContent).toBe('signed in as alice')
      expect(second.element.textContent).toBe('signed in as alice')
    })

    it('goes to returnTo without a navigation when there is no onRedirectCallback', async () => {
      const client = createFakeClient(SIGNED_OUT)
      mount(Status, createAuth(client))
      client.finishCallback({ returnTo: `${location.origin}/account?tab=2`, user: { sub: 'alice' } })
      await settle()
      expect(location.href).toBe(`${location.origin}/account?tab=2`)
    })

    it('reports a failed callback as the error, once loading ends', async () => {
      const client = createFakeClient(SIGNED_OUT)
      const results: RedirectResult[] = []
      const { element } = mount(Status, createAuth(client, { onRedirectCallback: (result) => results.push(result) }))
      client.finishCallback(new AuthError('invalid_state', 'unknown state'))
      await settle()
      expect(element.textContent).toBe('error: invalid_state')
      expect(results).toEqual([])
      expect(client.calls.handleRedirectCallback).toHaveLength(1)
    })

    it('goes back to the returnTo of a failed callback (a restore the provider could not satisfy), once', async () => {
      const client = createFakeClient(SIGNED_OUT)
      const results: RedirectResult[] = []
      const onRedirectCallback = (result: RedirectResult) => results.push(result)
      const { element } = mount(Status, createAuth(client, { onRedirectCallback }))
      mount(Status, createAuth(client, { onRedirectCallback }))
      const returnTo = `${location.origin}/orders`
      client.finishCallback(
        new AuthError('login_required', 'the provider needs the user', { oauthError: 'login_required', returnTo }),
      )
      await settle()
      expect(element.textContent).toBe('error: login_required')
      expect(results).toEqual([{ returnTo, user: null }])
    })
  })

  it('runs with the real client and its worker', async () => {
    const client = createAuthClient({
      issuer: 'https://issuer.example',
      clientId: 'vue-test',
      redirectUri: `${location.origin}/callback`,
      persistence: 'memory',
    })
    try {
      const { element } = mount(Status, createAuth(client))
      // Answered after the plugin's own getState: one worker, in order.
      await client.getState()
      await settle()
      expect(element.textContent).toBe('signed out')
    } finally {
      client.close()
    }
  })
})
