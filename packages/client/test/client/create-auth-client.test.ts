import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient } from '../../src/client/create-auth-client'
import { AuthError } from '../../src/shared/errors'
import type { AuthClient, RedirectResult } from '../../src/shared/types'
import type { WireRequest, WireResponse } from '../../src/shared/wire'
import { fakeWorkers, type FakeApi } from '../support/fake-worker'

const API = 'https://api.example.test/v1/'

function client(api: FakeApi): { auth: AuthClient; started: unknown[] } {
  const { started, create } = fakeWorkers(() => api)
  const auth = createAuthClient({
    issuer: 'https://as.example.test',
    clientId: 'spa',
    redirectUri: `${location.origin}/callback`,
    allowedOrigins: [API],
    worker: create,
  })
  clients.push(auth)
  return { auth, started }
}

const clients: AuthClient[] = []
const address = location.href
beforeEach(() => history.replaceState(history.state, '', address))
afterEach(() => {
  for (const c of clients.splice(0)) c.close()
  history.replaceState(history.state, '', address)
  vi.unstubAllGlobals()
})

const result: RedirectResult = { returnTo: null, user: null }

describe('handleRedirectCallback', () => {
  it('removes the response parameters from the address bar, keeping the rest (RFC 9700 §4.2.4)', async () => {
    const callback = `${location.origin}/callback?keep=1&code=c0de&state=st4te&iss=https%3A%2F%2Fas.example.test#frag`
    history.replaceState(history.state, '', callback)
    const seen: string[] = []
    const { auth } = client({
      handleCallback: async (href) => {
        seen.push(href)
        return result
      },
    })
    expect(await auth.handleRedirectCallback()).toEqual(result)
    expect(seen).toEqual([callback])
    expect(location.href).toBe(`${location.origin}/callback?keep=1#frag`)
  })

  it('cleans the address bar also when the callback fails', async () => {
    history.replaceState(history.state, '', `${location.origin}/callback?error=access_denied&state=s`)
    const { auth } = client({
      handleCallback: async () => {
        throw new AuthError('authorization_error', 'refused', { oauthError: 'access_denied' })
      },
    })
    await expect(auth.handleRedirectCallback()).rejects.toMatchObject({ code: 'authorization_error' })
    expect(location.href).toBe(`${location.origin}/callback`)
  })

  it('leaves the address bar alone for a URL that is not the current one', async () => {
    const { auth } = client({ handleCallback: async () => result })
    await auth.handleRedirectCallback(`${location.origin}/callback?code=c&state=s`)
    expect(location.href).toBe(address)
  })

  it('sends one callback per URL however often it is called (StrictMode runs effects twice)', async () => {
    let calls = 0
    const { auth } = client({ handleCallback: async () => (calls++, result) })
    const url = `${location.origin}/callback?code=c&state=s`
    await Promise.all([auth.handleRedirectCallback(url), auth.handleRedirectCallback(url)])
    expect(calls).toBe(1)
  })
})

describe('loginWithPopup and a popup’s callback', () => {
  it('opens the window at once, in the caller’s task, before anything is awaited (user activation)', async () => {
    const opened: unknown[][] = []
    vi.stubGlobal('open', (...args: unknown[]) => (opened.push(args), null))
    const { auth } = client({})
    const login = auth.loginWithPopup()
    expect(opened).toEqual([['', '_blank', 'popup,width=500,height=600']])
    await expect(login).rejects.toMatchObject({ code: 'popup_blocked' })
  })

  it('hands a popup’s response to the opener instead of this tab’s worker, and cleans the address bar', async () => {
    vi.spyOn(window, 'close').mockImplementation(() => {})
    const callback = `${location.origin}/callback?code=c0de&state=popup.st4te`
    history.replaceState(history.state, '', callback)
    const opener = new BroadcastChannel('oauth-enclave:popup:popup.st4te')
    const relayed: unknown[] = []
    opener.onmessage = ({ data }) => (relayed.push(data), opener.postMessage({ received: true }))
    const own: string[] = []
    const { auth } = client({ handleCallback: async (href) => (own.push(href), result) })
    expect(await auth.handleRedirectCallback()).toEqual({ returnTo: null, user: null })
    opener.close()
    expect(relayed).toEqual([{ href: callback }])
    expect(own).toEqual([])
    expect(location.href).toBe(`${location.origin}/callback`)
  })
})

describe('fetch', () => {
  const answer = (wire: WireRequest): WireResponse => ({
    status: 200,
    statusText: 'OK',
    headers: [],
    url: wire.url,
    redirected: false,
    body: null,
  })

  it('sends a target outside the allowlist straight from the page, never to the worker', async () => {
    const toWorker = vi.fn(async (wire: WireRequest) => answer(wire))
    const plain = vi.fn(async () => new Response('plain'))
    vi.stubGlobal('fetch', plain)
    const { auth } = client({ fetch: toWorker })
    for (const target of ['https://api.example.test/v2/x', 'https://evil.example.test/v1/', '/relative']) {
      expect(await (await auth.fetch(target)).text()).toBe('plain')
    }
    expect(await (await auth.fetch(new Request('https://other.example.test/'))).text()).toBe('plain')
    expect(plain).toHaveBeenCalledTimes(4)
    expect(toWorker).not.toHaveBeenCalled()
  })

  it('sends an allowed target to the worker, not to the page’s fetch', async () => {
    const toWorker = vi.fn(async (wire: WireRequest) => answer(wire))
    const plain = vi.fn(async () => new Response('plain'))
    vi.stubGlobal('fetch', plain)
    const { auth } = client({ fetch: toWorker })
    const response = await auth.fetch(`${API}things`, { method: 'POST', body: 'x' })
    expect(response.status).toBe(200)
    expect(toWorker).toHaveBeenCalledTimes(1)
    expect(toWorker.mock.calls[0]![0]).toMatchObject({ url: `${API}things`, method: 'POST' })
    expect(plain).not.toHaveBeenCalled()
  })
})

describe('logout', () => {
  it('resolves with what came of the revocation, and stays on the page when there is nowhere to go', async () => {
    const { auth } = client({ logout: async () => ({ revocation: 'not_supported', url: null }) })
    expect(await auth.logout()).toEqual({ revocation: 'not_supported' })
    expect(location.href).toBe(address)
  })
})
