import * as oauth from 'oauth4webapi'
import { describe, expect, it } from 'vitest'
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
