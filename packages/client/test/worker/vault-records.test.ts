import { describe, expect, it } from 'vitest'
import { isDPoPKeyPair, parseSessionRecord } from '../../src/worker/vault-records'
import { isSealingKey } from '../../src/worker/vault'

const ecdsa = (namedCurve: string, extractable: boolean) =>
  crypto.subtle.generateKey({ name: 'ECDSA', namedCurve }, extractable, ['sign', 'verify'])

describe('keys the worker would have made itself', () => {
  it('a DPoP key pair: ECDSA P-256, the private key non-extractable and for signing only', async () => {
    const own = await ecdsa('P-256', false)
    expect(isDPoPKeyPair(own)).toBe(true)
    const other = await ecdsa('P-256', false)
    const rsa = await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    )
    const foreign: [string, unknown][] = [
      ['extractable', await ecdsa('P-256', true)],
      ['another curve', await ecdsa('P-384', false)],
      ['RSA', rsa],
      ['keys swapped', { privateKey: own.publicKey, publicKey: own.privateKey }],
      ['no public key', { privateKey: own.privateKey }],
      ['not keys', { privateKey: 'x', publicKey: 'y' }],
      ['nothing', null],
    ]
    for (const [what, pair] of foreign) expect(isDPoPKeyPair(pair), what).toBe(false)
    // A pair put together from two of the worker's own is still the worker's kind of key.
    expect(isDPoPKeyPair({ privateKey: own.privateKey, publicKey: other.publicKey })).toBe(true)
  })

  it('a sealing key: AES-GCM 256, non-extractable, for encrypt and decrypt', async () => {
    const aes = (length: number, extractable: boolean, usages: KeyUsage[] = ['encrypt', 'decrypt']) =>
      crypto.subtle.generateKey({ name: 'AES-GCM', length }, extractable, usages)
    expect(isSealingKey(await aes(256, false))).toBe(true)
    expect(isSealingKey(await aes(256, true))).toBe(false)
    expect(isSealingKey(await aes(128, false))).toBe(false)
    expect(isSealingKey(await aes(256, false, ['encrypt']))).toBe(false)
    expect(isSealingKey(await aes(256, false, ['encrypt', 'decrypt', 'wrapKey']))).toBe(false)
    expect(isSealingKey((await ecdsa('P-256', false)).privateKey)).toBe(false)
  })
})

describe('parseSessionRecord', () => {
  const tokens = {
    accessToken: 'at',
    refreshToken: 'rt',
    tokenType: 'Bearer',
    expiresAt: 1,
    receivedAt: 0,
    idToken: null,
    claims: { sub: 'alice' },
    scope: null,
  }
  const apiTokens = { ...tokens, accessToken: 'api-at', refreshToken: null, claims: null }

  it("reads each API's token beside the session's, and a record from before API tokens as having none", () => {
    expect(parseSessionRecord({ sessionId: 's', tokens, apis: { 'https://api.example.com': apiTokens } })).toEqual({
      sessionId: 's',
      tokens,
      apis: { 'https://api.example.com': apiTokens },
    })
    expect(parseSessionRecord({ sessionId: 's', tokens })).toEqual({ sessionId: 's', tokens, apis: {} })
  })

  it.each<[string, unknown]>([
    ['apis not an object', 'x'],
    ['apis null', null],
    ['an API token without an access token', { 'https://api.example.com': { ...apiTokens, accessToken: 1 } }],
    ['an API token of an unknown type', { 'https://api.example.com': { ...apiTokens, tokenType: 'mac' } }],
  ])('refuses a record with %s', (_, apis) => {
    expect(parseSessionRecord({ sessionId: 's', tokens, apis })).toBeNull()
  })
})
