import * as oauth from 'oauth4webapi'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createServerClocks } from '../../src/protocol/clock-skew'
import {
  createDPoPHandle,
  generateDPoPKeyPair,
  providerSupportsDPoP,
  withDPoPNonceRetry,
} from '../../src/protocol/dpop'
import { metadata, providerContext } from '../support/fake-provider'

/** What oauth4webapi throws for a token endpoint's `use_dpop_nonce` (RFC 9449 §8). */
async function nonceError(error = 'use_dpop_nonce'): Promise<unknown> {
  const response = Response.json({ error }, { status: 400 })
  const ctx = providerContext(async () => response)
  return oauth
    .processRefreshTokenResponse(ctx.as, ctx.client, response)
    .then(() => new Error('no error'))
    .catch((e: unknown) => e)
}

describe('generateDPoPKeyPair', () => {
  it('makes a non-extractable P-256 key pair (RFC 9449 §2)', async () => {
    const { privateKey, publicKey } = await generateDPoPKeyPair()
    expect(privateKey.extractable).toBe(false)
    expect(privateKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' })
    expect(publicKey.usages).toEqual(['verify'])
  })
})

describe('createDPoPHandle', () => {
  it('dates each proof by the clock of the server it is for (RFC 9449 §4.2, §11.1)', async () => {
    const clocks = createServerClocks()
    clocks.observe('https://ahead.example.test', Date.now() / 1000 + 360, Date.now())
    const dpop = createDPoPHandle({ client_id: 'c' }, await generateDPoPKeyPair(), clocks)
    const iatOf = async (url: string): Promise<number> => {
      let proof = ''
      await oauth.protectedResourceRequest('at', 'GET', new URL(url), new Headers(), null, {
        DPoP: dpop,
        [oauth.customFetch]: async (_url, init) => {
          proof = new Headers(init.headers).get('dpop') ?? ''
          return new Response('ok')
        },
      })
      const payload = proof.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')
      return (JSON.parse(atob(payload)) as { iat: number }).iat - Math.floor(Date.now() / 1000)
    }
    expect(await iatOf('https://ahead.example.test/token')).toBeCloseTo(360, -1)
    expect(await iatOf('https://other.example.test/api')).toBeCloseTo(0, -1)
  })
})

/** The payload of the proof `handle` makes for a request with `accessToken` (none: a token endpoint's). */
async function proofPayload(handle: oauth.DPoPHandle, accessToken?: string): Promise<Record<string, unknown>> {
  const headers = new Headers()
  const url = new URL('https://api.example.test/things')
  await (handle as unknown as { addProof: (...a: unknown[]) => Promise<void> }).addProof(
    url,
    headers,
    'GET',
    accessToken,
  )
  const payload = headers.get('dpop')!.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')
  return JSON.parse(atob(payload)) as Record<string, unknown>
}

/** RFC 9449 §4.2: base64url of the SHA-256 of the ASCII access token. */
async function athOf(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)))
  return btoa(String.fromCharCode(...digest))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

describe('createDPoPHandle: ath', () => {
  afterEach(() => vi.restoreAllMocks())

  it('hashes each access token into its proofs, first, later and concurrent ones (RFC 9449 §4.2)', async () => {
    const dpop = createDPoPHandle({ client_id: 'c' }, await generateDPoPKeyPair())
    expect((await proofPayload(dpop, 'at-1')).ath).toBe(await athOf('at-1'))
    expect((await proofPayload(dpop, 'at-1')).ath).toBe(await athOf('at-1'))
    const tokens = ['at-2', 'at-3', 'at-2', 'at-1', 'at-3']
    const payloads = await Promise.all(tokens.map((token) => proofPayload(dpop, token)))
    expect(payloads.map((p) => p.ath)).toEqual(await Promise.all(tokens.map(athOf)))
    // A token endpoint's proof has no `ath`, even between resource proofs.
    const [resource, token] = await Promise.all([proofPayload(dpop, 'at-1'), proofPayload(dpop)])
    expect(resource.ath).toBe(await athOf('at-1'))
    expect(token).not.toHaveProperty('ath')
  })

  it('hashes the right token into concurrent first proofs of a new handle', async () => {
    const dpop = createDPoPHandle({ client_id: 'c' }, await generateDPoPKeyPair())
    const tokens = ['at-1', 'at-2', 'at-3']
    const payloads = await Promise.all(tokens.map((token) => proofPayload(dpop, token)))
    expect(payloads.map((p) => p.ath)).toEqual(await Promise.all(tokens.map(athOf)))
  })

  it('hashes a token once, however many proofs carry it', async () => {
    const dpop = createDPoPHandle({ client_id: 'c' }, await generateDPoPKeyPair())
    await proofPayload(dpop, 'warm-up')
    const digest = vi.spyOn(crypto.subtle, 'digest')
    for (let i = 0; i < 5; i++) await proofPayload(dpop, 'at-1')
    expect(digest).toHaveBeenCalledTimes(1)
    await proofPayload(dpop, 'at-2')
    expect(digest).toHaveBeenCalledTimes(2)
  })
})

describe('providerSupportsDPoP', () => {
  it('is true only when the metadata lists signing algorithms (RFC 9449 §5.1)', () => {
    const ctx = (algs: unknown) =>
      providerContext(async () => new Response(), metadata({ dpop_signing_alg_values_supported: algs as string[] }))
    expect(providerSupportsDPoP(ctx(['ES256']))).toBe(true)
    expect(providerSupportsDPoP(ctx([]))).toBe(false)
    expect(providerSupportsDPoP(ctx(undefined))).toBe(false)
    expect(providerSupportsDPoP(ctx('ES256'))).toBe(false)
  })
})

describe('withDPoPNonceRetry', () => {
  it('runs the attempt once more for a nonce error, and only once', async () => {
    const error = await nonceError()
    expect(oauth.isDPoPNonceError(error)).toBe(true)
    let attempts = 0
    const always = () => (attempts++, Promise.reject(error))
    await expect(withDPoPNonceRetry(always)).rejects.toBe(error)
    expect(attempts).toBe(2)
    attempts = 0
    const once = () => (attempts++ === 0 ? Promise.reject(error) : Promise.resolve('ok'))
    await expect(withDPoPNonceRetry(once)).resolves.toBe('ok')
  })

  it('does not retry any other failure', async () => {
    const error = await nonceError('invalid_grant')
    let attempts = 0
    await expect(withDPoPNonceRetry(() => (attempts++, Promise.reject(error)))).rejects.toBe(error)
    expect(attempts).toBe(1)
  })
})
