import { PLATFORM_ID, inject, InjectionToken } from '@angular/core'
import { AuthError, isAuthError, type RedirectResult } from '@oauth-enclave/client'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { injectAuth, provideAuth } from '../src/index.js'
import { createFakeClient, SIGNED_IN, SIGNED_OUT } from './support/fake-client.js'
import { settle, startApplication, within } from './support/application.js'

const CALLBACK = '/callback?code=abc&state=xyz'
let start: string

beforeEach(() => {
  start = location.href
})
afterEach(() => {
  history.replaceState(null, '', start)
})

describe('provideAuth', () => {
  it('is loading until the first state is known, without holding the start', async () => {
    const client = createFakeClient(SIGNED_IN)
    let answer!: () => void
    const getState = client.getState
    client.getState = () => new Promise((resolve) => (answer = () => resolve(getState())))
    const app = await startApplication([provideAuth(client)])
    const auth = within(app, injectAuth)
    await settle()
    expect(auth.isLoading()).toBe(true)
    answer()
    await settle()
    expect(auth.isLoading()).toBe(false)
    expect(auth.isAuthenticated()).toBe(true)
  })

  it('follows the client state in signals', async () => {
    const client = createFakeClient(SIGNED_OUT)
    const app = await startApplication([provideAuth(client)])
    const auth = within(app, injectAuth)
    await settle()
    expect(auth.isLoading()).toBe(false)
    expect(auth.isAuthenticated()).toBe(false)
    client.emit(SIGNED_IN)
    expect(auth.isAuthenticated()).toBe(true)
    expect(auth.user()).toEqual({ sub: 'alice' })
    expect(auth.state()).toBe(SIGNED_IN)
    const warning = { expiresAt: Date.now() + 30_000, secondsLeft: 30 }
    client.emit({ ...SIGNED_IN, idleWarning: warning })
    expect(auth.idleWarning()).toEqual(warning)
    client.emit({ ...SIGNED_IN, idleWarning: null })
    expect(auth.idleWarning()).toBeNull()
  })

  it('handles the redirect callback once however many applications start, before they start', async () => {
    history.replaceState(null, '', CALLBACK)
    const client = createFakeClient(SIGNED_OUT)
    const seen: RedirectResult[] = []
    const options = { onRedirectCallback: (result: RedirectResult) => void seen.push(result) }
    let started = 0
    const first = startApplication([provideAuth(client, options)]).then((app) => (started++, app))
    const second = startApplication([provideAuth(client, options)]).then((app) => (started++, app))
    await settle()
    expect(started).toBe(0)
    client.emit(SIGNED_IN)
    client.finishCallback({ returnTo: '/account', user: { sub: 'alice' } })
    const apps = await Promise.all([first, second])
    expect(client.calls.handleRedirectCallback).toEqual([new URL(CALLBACK, location.href).href])
    expect(seen).toEqual([{ returnTo: '/account', user: { sub: 'alice' } }])
    for (const app of apps) expect(within(app, injectAuth).isLoading()).toBe(false)
  })

  it('by default replaces the address with returnTo', async () => {
    history.replaceState(null, '', CALLBACK)
    const client = createFakeClient(SIGNED_IN)
    client.finishCallback({ returnTo: '/account?tab=1', user: { sub: 'alice' } })
    await startApplication([provideAuth(client)])
    expect(location.pathname + location.search).toBe('/account?tab=1')
  })

  it('calls onRedirectCallback in the injection context', async () => {
    history.replaceState(null, '', CALLBACK)
    const TOKEN = new InjectionToken<string>('test')
    const client = createFakeClient(SIGNED_IN)
    client.finishCallback({ returnTo: null, user: { sub: 'alice' } })
    const injected: string[] = []
    await startApplication([
      { provide: TOKEN, useValue: 'injected' },
      provideAuth(client, { onRedirectCallback: () => void injected.push(inject(TOKEN)) }),
    ])
    expect(injected).toEqual(['injected'])
  })

  it('goes back to the returnTo of a failed callback, with the error', async () => {
    history.replaceState(null, '', CALLBACK)
    const client = createFakeClient(SIGNED_OUT)
    const failure = new AuthError('login_required', 'the provider needs the user')
    Object.defineProperty(failure, 'returnTo', { value: '/where-it-started', enumerable: true })
    client.finishCallback(failure)
    const seen: RedirectResult[] = []
    const app = await startApplication([
      provideAuth(client, { onRedirectCallback: (result) => void seen.push(result) }),
    ])
    const auth = within(app, injectAuth)
    expect(seen).toEqual([{ returnTo: '/where-it-started', user: null }])
    expect(auth.error()).toBe(failure)
    expect(auth.isLoading()).toBe(false)
  })

  it('sets error without navigating for a failed callback with no returnTo', async () => {
    history.replaceState(null, '', CALLBACK)
    const client = createFakeClient(SIGNED_OUT)
    client.finishCallback(new AuthError('invalid_state', 'no such login'))
    const seen: RedirectResult[] = []
    const app = await startApplication([
      provideAuth(client, { onRedirectCallback: (result) => void seen.push(result) }),
    ])
    expect(seen).toEqual([])
    expect(isAuthError(within(app, injectAuth).error()) && 'invalid_state').toBe('invalid_state')
  })

  it('restores with prompt none, returning to the current page by default', async () => {
    const client = createFakeClient()
    const app = await startApplication([provideAuth(client)])
    const auth = within(app, injectAuth)
    await auth.restore()
    await auth.restore({ returnTo: '/elsewhere' })
    expect(client.calls.login).toEqual([
      { prompt: 'none', returnTo: location.href },
      { prompt: 'none', returnTo: '/elsewhere' },
    ])
  })

  it('passes login, loginWithPopup, logout and fetch to the client', async () => {
    const client = createFakeClient()
    const app = await startApplication([provideAuth(client)])
    const auth = within(app, injectAuth)
    await auth.login({ returnTo: '/a' })
    await auth.loginWithPopup()
    await auth.logout()
    await auth.fetch('https://api.example.com/x')
    expect(client.calls).toMatchObject({
      login: [{ returnTo: '/a' }],
      loginWithPopup: 1,
      logout: 1,
      fetch: [{ input: 'https://api.example.com/x' }],
    })
    expect(auth.client).toBe(client)
  })

  it('calls a factory once, in the browser, and closes its client with the application', async () => {
    const client = createFakeClient()
    let calls = 0
    const app = await startApplication([provideAuth(() => (calls++, client))])
    within(app, injectAuth)
    expect(calls).toBe(1)
    app.destroy()
    expect(client.calls.close).toBe(1)
  })

  it('does not close a client it was given', async () => {
    const client = createFakeClient()
    const app = await startApplication([provideAuth(client)])
    app.destroy()
    expect(client.calls.close).toBe(0)
  })

  it('stops following the client once the application is destroyed', async () => {
    const client = createFakeClient(SIGNED_OUT)
    const app = await startApplication([provideAuth(client)])
    const auth = within(app, injectAuth)
    await settle()
    app.destroy()
    client.emit(SIGNED_IN)
    expect(auth.isAuthenticated()).toBe(false)
  })

  describe('on the server', () => {
    it('creates no client, stays loading and refuses every action', async () => {
      history.replaceState(null, '', CALLBACK)
      let calls = 0
      const app = await startApplication([
        { provide: PLATFORM_ID, useValue: 'server' },
        provideAuth(() => (calls++, createFakeClient())),
      ])
      const auth = within(app, injectAuth)
      await settle()
      expect(calls).toBe(0)
      expect(auth.client).toBeNull()
      expect(auth.isLoading()).toBe(true)
      expect(auth.isAuthenticated()).toBe(false)
      for (const action of [auth.login, auth.loginWithPopup, auth.restore, auth.logout, () => auth.fetch('/x')]) {
        await expect(action()).rejects.toMatchObject({ name: 'AuthError', code: 'config_error' })
      }
    })
  })
})
