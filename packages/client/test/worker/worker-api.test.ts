import { afterEach, describe, expect, it, vi } from 'vitest'
import { resolveConfig } from '../../src/worker/config'
import { createWorkerApi } from '../../src/worker/worker-api'
import { browserNetwork } from '../support/network'
import { VERSION } from '../../src/shared/version'
import { wireRequest } from '../support/wire-request'
import { metadata } from '../support/fake-provider'

const config = resolveConfig(
  {
    issuer: 'https://as.example.test',
    clientId: `spa-${crypto.randomUUID()}`,
    redirectUri: `${location.origin}/callback`,
    allowedOrigins: ['https://api.example.test/v1/'],
  },
  location.origin,
)

function api() {
  return createWorkerApi({ origin: location.origin, now: () => Date.now(), network: browserNetwork })
}

const request = (url: string) => wireRequest(url)

afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

describe('worker API', () => {
  it('refuses to start under a service worker the options do not allow, and starts under one they do', async () => {
    const sw = `${location.origin}/sw.js`
    const refused = api()
    await expect(refused.init(config, () => {}, VERSION, sw)).rejects.toMatchObject({
      code: 'config_error',
      message: `${sw} is not in dangerouslyAllowServiceWorkers`,
    })
    await expect(refused.getState()).rejects.toMatchObject({ code: 'config_error' })
    const allowed = api()
    await allowed.init({ ...config, dangerouslyAllowServiceWorkers: [sw] }, () => {}, VERSION, sw)
    await expect(allowed.getState()).resolves.toMatchObject({ authenticated: false })
  })

  it('refuses every call before init, and a second init', async () => {
    const worker = api()
    await expect(worker.getState()).rejects.toMatchObject({ code: 'config_error' })
    await worker.init(config, () => {}, VERSION, null)
    await expect(
      worker.init({ ...config, allowedOrigins: ['https://evil.example.test'] }, () => {}, VERSION, null),
    ).rejects.toMatchObject({
      code: 'config_error',
    })
  })

  it('refuses a page of another package version, naming both, and still takes the right one', async () => {
    const worker = api()
    await expect(worker.init(config, () => {}, '0.0.0-other', null)).rejects.toMatchObject({
      code: 'config_error',
      message: `the page runs oauth-enclave 0.0.0-other but its worker ${VERSION}`,
    })
    await worker.init(config, () => {}, VERSION, null)
    await expect(worker.getState()).resolves.toMatchObject({ authenticated: false })
  })

  it('validates the configuration itself instead of trusting the page', async () => {
    const worker = api()
    await expect(
      worker.init({ ...config, allowedOrigins: ['http://evil.example.test'] }, () => {}, VERSION, null),
    ).rejects.toMatchObject({ code: 'config_error' })
    await expect(
      worker.init({ ...config, redirectUri: 'https://evil.example.test/callback' }, () => {}, VERSION, null),
    ).rejects.toMatchObject({ code: 'config_error' })
  })

  it('sends requests outside the allowlist without credentials and without touching the session', async () => {
    const seen: Headers[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string | URL, init?: RequestInit) => {
        seen.push(new Headers(init?.headers))
        return new Response('ok')
      }),
    )
    const worker = api()
    await worker.init(config, () => {}, VERSION, null)
    const response = await worker.fetch(request('https://api.example.test/v2/other'))
    expect(response.status).toBe(200)
    expect(seen).toHaveLength(1)
    expect(seen[0]!.has('authorization')).toBe(false)
    expect(seen[0]!.has('dpop')).toBe(false)
  })

  it('refuses an allowed target without a session with login_required, sending nothing', async () => {
    const fetchSpy = vi.fn(async () => new Response('ok'))
    vi.stubGlobal('fetch', fetchSpy)
    const worker = api()
    await worker.init(config, () => {}, VERSION, null)
    await expect(worker.fetch(request('https://api.example.test/v1/things'))).rejects.toMatchObject({
      code: 'login_required',
    })
    expect(fetchSpy).not.toHaveBeenCalled()
  })

  it('refuses a prompt that is not a string with config_error', async () => {
    const worker = api()
    await worker.init(config, () => {}, VERSION, null)
    const input = { returnTo: null, extraParams: {}, prompt: 1 as unknown as string }
    await expect(worker.startLogin(input)).rejects.toMatchObject({ code: 'config_error' })
  })

  it('makes dpop: true against a provider without DPoP a config_error at login', async () => {
    const as = metadata({ issuer: 'https://no-dpop.example.test' })
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Response.json(as, { headers: { 'content-type': 'application/json' } })),
    )
    const worker = api()
    const dpopConfig = resolveConfig(
      { issuer: as.issuer, clientId: 'spa', redirectUri: `${location.origin}/callback`, dpop: true },
      location.origin,
    )
    await worker.init(dpopConfig, () => {}, VERSION, null)
    await expect(worker.startLogin({ returnTo: null, extraParams: {} })).rejects.toMatchObject({
      code: 'config_error',
    })
  })
})
