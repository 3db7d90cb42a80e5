/** The idle timeout as the page sees it through the worker API, over IndexedDB, against a fake provider. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AuthState } from '../../src/shared/types'
import { VERSION } from '../../src/shared/version'
import type { WireOptions } from '../../src/shared/wire'
import { createIndexedDbVault } from '../../src/worker/vault'
import { IDLE_RECORD } from '../../src/worker/vault-records'
import { createWorkerApi } from '../../src/worker/worker-api'
import { ISSUER, callbackFor, grantFor, jsonResponse, metadata, validTokenResponse } from '../support/fake-provider'
import { browserNetwork } from '../support/network'
import { wireRequest } from '../support/wire-request'

const realFetch = globalThis.fetch.bind(globalThis)

/** The provider behind the global `fetch`: every code redeemed, every token revoked and remembered. */
function stubProvider(clientId: string) {
  const revoked: string[] = []
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input instanceof Request ? input.url : input)
    if (url === `${ISSUER}/.well-known/openid-configuration`) {
      return jsonResponse(200, metadata({ revocation_endpoint: `${ISSUER}/revoke` }))
    }
    const form = new URLSearchParams(String(init.body ?? ''))
    if (url === `${ISSUER}/token`) return validTokenResponse(nonce, { aud: clientId })
    if (url === `${ISSUER}/revoke`) {
      revoked.push(form.get('token_type_hint') ?? '')
      return new Response(null, { status: 200 })
    }
    return realFetch(input, init)
  })
  let nonce: string | null = null
  return { revoked, expect: (next: string | null) => (nonce = next) }
}

/** A worker with `idle` options for a client of its own, the states it emitted, and a way to sign in. */
async function worker(clientId: string, idle: Partial<WireOptions>) {
  const api = createWorkerApi({ origin: location.origin, now: () => Date.now(), network: browserNetwork })
  const states: AuthState[] = []
  const options = {
    issuer: ISSUER,
    clientId,
    redirectUri: `${location.origin}/callback`,
    allowedOrigins: ['https://api.example.test/'],
    ...idle,
  }
  await api.init(options, (state) => states.push(state), VERSION, null)
  return { api, states }
}

async function signIn(api: ReturnType<typeof createWorkerApi>, provider: ReturnType<typeof stubProvider>) {
  const grant = grantFor(new URL((await api.startLogin({ returnTo: null, extraParams: {} })).url))
  provider.expect(grant.nonce)
  await api.handleCallback(callbackFor(grant).href)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

afterEach(() => vi.unstubAllGlobals())

describe('the worker API with idleTimeoutSeconds', () => {
  it('warns, is kept by reported activity, then ends the session with idle_timeout and revokes it', async () => {
    const clientId = `idle-${crypto.randomUUID()}`
    const provider = stubProvider(clientId)
    const { api, states } = await worker(clientId, { idleTimeoutSeconds: 2, idleWarningSeconds: 1 })
    await signIn(api, provider)
    expect(await api.getState()).toMatchObject({ authenticated: true, idleWarning: null })
    await sleep(1_200)
    const warned = states.at(-1)
    expect(warned).toMatchObject({ authenticated: true, idleWarning: { secondsLeft: 1 } })
    expect((await api.getState()).idleWarning).toEqual(warned?.idleWarning)
    await api.reportActivity()
    expect(states.at(-1)).toMatchObject({ authenticated: true, idleWarning: null })
    await sleep(1_200)
    expect(states.at(-1)?.idleWarning).not.toBeNull()
    await sleep(1_000)
    expect(states.at(-1)).toMatchObject({ authenticated: false, reason: 'idle_timeout', idleWarning: null })
    await expect(api.fetch(wireRequest('https://api.example.test/x'))).rejects.toMatchObject({
      code: 'login_required',
    })
    await vi.waitFor(() => expect(provider.revoked).toEqual(['refresh_token', 'access_token']))
  })

  it('in a worker started after the session sat idle too long, ends it before answering any call', async () => {
    const clientId = `idle-${crypto.randomUUID()}`
    const provider = stubProvider(clientId)
    const first = await worker(clientId, { idleTimeoutSeconds: 600 })
    await signIn(first.api, provider)
    // As if the app had been closed for an hour since: only the stored activity says so.
    await createIndexedDbVault(ISSUER, clientId).write(IDLE_RECORD, Date.now() - 3_600_000)
    const second = await worker(clientId, { idleTimeoutSeconds: 600 })
    expect(second.states).toEqual([
      expect.objectContaining({ authenticated: false, reason: 'idle_timeout', idleWarning: null }),
    ])
    expect(await second.api.getState()).toMatchObject({ authenticated: false })
    // The first tab learns of it too, with the reason.
    await vi.waitFor(() => expect(first.states.at(-1)).toMatchObject({ authenticated: false, reason: 'idle_timeout' }))
    await vi.waitFor(() => expect(provider.revoked).toEqual(['refresh_token', 'access_token']))
  })

  it("takes another tab's activity as its own: a warning in both ends in both", async () => {
    const clientId = `idle-${crypto.randomUUID()}`
    const provider = stubProvider(clientId)
    const idle = { idleTimeoutSeconds: 2, idleWarningSeconds: 1 }
    const first = await worker(clientId, idle)
    await signIn(first.api, provider)
    const second = await worker(clientId, idle)
    await second.api.reportActivity()
    await first.api.reportActivity()
    await sleep(1_200)
    expect(first.states.at(-1)?.idleWarning).not.toBeNull()
    expect(second.states.at(-1)?.idleWarning).not.toBeNull()
    await first.api.reportActivity()
    await vi.waitFor(() => expect(second.states.at(-1)).toMatchObject({ authenticated: true, idleWarning: null }), {
      timeout: 300,
    })
    expect(first.states.at(-1)).toMatchObject({ authenticated: true, idleWarning: null })
  })

  it('a call after the timeout, before its timer fired (a computer that slept), finds the session ended', async () => {
    const clientId = `idle-${crypto.randomUUID()}`
    const provider = stubProvider(clientId)
    const { api, states } = await worker(clientId, { idleTimeoutSeconds: 600 })
    await signIn(api, provider)
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      vi.setSystemTime(Date.now() + 601_000)
      await expect(api.getState()).resolves.toMatchObject({ authenticated: false })
      expect(states.at(-1)).toMatchObject({ authenticated: false, reason: 'idle_timeout' })
    } finally {
      vi.useRealTimers()
    }
  })

  it('without the option, reports of activity do nothing and states carry no idle warning', async () => {
    const clientId = `idle-${crypto.randomUUID()}`
    const provider = stubProvider(clientId)
    const { api } = await worker(clientId, {})
    await signIn(api, provider)
    await api.reportActivity()
    expect(await api.getState()).not.toHaveProperty('idleWarning')
    expect(await createIndexedDbVault(ISSUER, clientId).read(IDLE_RECORD)).toBeUndefined()
  })
})
