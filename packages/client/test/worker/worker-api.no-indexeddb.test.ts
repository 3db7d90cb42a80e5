import { afterEach, expect, it, vi } from 'vitest'
import { resolveConfig } from '../../src/worker/config'
import type { AuthState } from '../../src/shared/types'
import { createWorkerApi } from '../../src/worker/worker-api'
import { browserNetwork } from '../support/network'
import { VERSION } from '../../src/shared/version'
import { metadata } from '../support/fake-provider'

// Its own file: the vault's IndexedDB connection is opened once per worker, and must not be yet.

const config = resolveConfig(
  {
    issuer: 'https://as.example.test',
    clientId: 'spa',
    redirectUri: `${location.origin}/callback`,
  },
  location.origin,
)

afterEach(() => {
  vi.restoreAllMocks()
})

it('falls back to memory when IndexedDB is unavailable, and says so', async () => {
  vi.spyOn(indexedDB, 'open').mockImplementation(() => {
    throw new DOMException('blocked in this mode', 'InvalidStateError')
  })
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  const states: AuthState[] = []
  const worker = createWorkerApi({ origin: location.origin, now: () => Date.now(), network: browserNetwork })
  await worker.init(config, (state) => void states.push(state), VERSION, null)
  expect(await worker.getState()).toMatchObject({ authenticated: false, persistence: 'memory' })
  expect(states).toEqual([expect.objectContaining({ authenticated: false, persistence: 'memory' })])
  expect(console.warn).toHaveBeenCalledOnce()
  await expect(worker.startLogin({ returnTo: null, extraParams: {} })).rejects.toMatchObject({
    code: 'worker_error',
  })
})

it('still starts a login in a popup, whose transaction stays in the worker', async () => {
  vi.spyOn(indexedDB, 'open').mockImplementation(() => {
    throw new DOMException('blocked in this mode', 'InvalidStateError')
  })
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  const as = metadata({ issuer: 'https://as.example.test' })
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => Response.json(as, { headers: { 'content-type': 'application/json' } })),
  )
  const worker = createWorkerApi({ origin: location.origin, now: () => Date.now(), network: browserNetwork })
  await worker.init(config, () => {}, VERSION, null)
  const { url, state } = await worker.startLogin({ returnTo: null, extraParams: {}, popup: true, prompt: 'login' })
  expect(state).toMatch(/^popup\./)
  expect(new URL(url).searchParams.get('state')).toBe(state)
  expect(new URL(url).searchParams.get('prompt')).toBe('login')
  vi.unstubAllGlobals()
})
