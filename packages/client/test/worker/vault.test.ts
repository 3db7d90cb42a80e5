import { createStore, del, entries, get, set } from 'idb-keyval'
import { beforeEach, describe, expect, it } from 'vitest'
import { AuthError } from '../../src/shared/errors'
import { createIndexedDbVault, createMemoryVault, VAULT_DATABASE, VAULT_STORE } from '../../src/worker/vault'

const ISSUER = 'https://issuer.example'
const store = createStore(VAULT_DATABASE, VAULT_STORE)

async function rawRecord(clientId: string, name: string) {
  return get<{ iv: Uint8Array; ciphertext: ArrayBuffer }>([ISSUER, clientId, name], store)
}

describe('IndexedDB vault', () => {
  let clientId: string
  beforeEach(() => {
    clientId = `client-${crypto.randomUUID()}`
  })

  it('round-trips JSON data and keeps only ciphertext at rest', async () => {
    const vault = createIndexedDbVault(ISSUER, clientId)
    const secret = { refreshToken: `rt-${crypto.randomUUID()}`, n: 1, nested: { ok: true } }
    await vault.write('session', secret)
    expect(await vault.read('session')).toEqual(secret)

    const raw = await rawRecord(clientId, 'session')
    expect(raw?.iv.byteLength).toBe(12)
    const bytes = new TextDecoder().decode(raw!.ciphertext)
    expect(bytes).not.toContain(secret.refreshToken)
  })

  it('uses a fresh IV for every write', async () => {
    const vault = createIndexedDbVault(ISSUER, clientId)
    await vault.write('a', 'same')
    const first = await rawRecord(clientId, 'a')
    await vault.write('a', 'same')
    const second = await rawRecord(clientId, 'a')
    expect([...first!.iv]).not.toEqual([...second!.iv])
  })

  it('stores its AES-GCM key non-extractable, and it survives a new vault instance (a restart)', async () => {
    await createIndexedDbVault(ISSUER, clientId).write('session', { v: 1 })
    const key = await get<CryptoKey>([ISSUER, clientId, 'key'], store)
    expect(key).toBeInstanceOf(CryptoKey)
    expect(key!.extractable).toBe(false)
    await expect(crypto.subtle.exportKey('raw', key!)).rejects.toThrow()
    expect(await createIndexedDbVault(ISSUER, clientId).read('session')).toEqual({ v: 1 })
  })

  it('refuses a record with one flipped byte as login_required', async () => {
    await createIndexedDbVault(ISSUER, clientId).write('session', { v: 1 })
    const raw = (await rawRecord(clientId, 'session'))!
    const tampered = new Uint8Array(raw.ciphertext.slice(0))
    tampered[3] = tampered[3]! ^ 0x01
    await set([ISSUER, clientId, 'session'], { ...raw, ciphertext: tampered.buffer }, store)
    const error = await createIndexedDbVault(ISSUER, clientId)
      .read('session')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    expect((error as AuthError).code).toBe('login_required')
  })

  it('refuses records once the key is gone', async () => {
    await createIndexedDbVault(ISSUER, clientId).write('session', { v: 1 })
    await del([ISSUER, clientId, 'key'], store)
    await expect(createIndexedDbVault(ISSUER, clientId).read('session')).rejects.toMatchObject({
      code: 'login_required',
    })
  })

  it('refuses a record moved from another client or another record name (additional data)', async () => {
    const other = `client-${crypto.randomUUID()}`
    await createIndexedDbVault(ISSUER, clientId).write('session', { v: 1 })
    await createIndexedDbVault(ISSUER, clientId).write('tx:abc', { v: 2 })
    // Same key, record moved to another name: the additional data no longer matches.
    await set([ISSUER, clientId, 'session'], await rawRecord(clientId, 'tx:abc'), store)
    await expect(createIndexedDbVault(ISSUER, clientId).read('session')).rejects.toMatchObject({
      code: 'login_required',
    })
    // Record and key copied to another client id.
    await createIndexedDbVault(ISSUER, clientId).write('session', { v: 1 })
    await set([ISSUER, other, 'key'], await get([ISSUER, clientId, 'key'], store), store)
    await set([ISSUER, other, 'session'], await rawRecord(clientId, 'session'), store)
    await expect(createIndexedDbVault(ISSUER, other).read('session')).rejects.toMatchObject({
      code: 'login_required',
    })
  })

  it('refuses a record of the wrong shape', async () => {
    await set([ISSUER, clientId, 'session'], 'not a sealed record', store)
    await expect(createIndexedDbVault(ISSUER, clientId).read('session')).rejects.toMatchObject({
      code: 'login_required',
    })
  })

  it('agrees on one key when two instances create it at once', async () => {
    const [a, b] = [createIndexedDbVault(ISSUER, clientId), createIndexedDbVault(ISSUER, clientId)]
    await Promise.all([a.write('x', 1), b.write('y', 2)])
    const fresh = createIndexedDbVault(ISSUER, clientId)
    expect([await fresh.read('x'), await fresh.read('y')]).toEqual([1, 2])
  })

  it('keeps CryptoKeyPairs as non-extractable keys, and removes records', async () => {
    const vault = createIndexedDbVault(ISSUER, clientId)
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])
    await vault.write('record', 1, { name: 'dpop', pair })
    const back = (await createIndexedDbVault(ISSUER, clientId).readWithKeys('record', 'dpop')).keys as CryptoKeyPair
    expect(back.privateKey.extractable).toBe(false)
    await expect(crypto.subtle.exportKey('jwk', back.privateKey)).rejects.toThrow()
    await vault.write('record', 2, { name: 'dpop', pair: null })
    expect(await vault.readWithKeys('record', 'dpop')).toEqual({ value: 2, keys: undefined })
    await vault.remove('record')
    expect(await vault.read('record')).toBeUndefined()
  })

  it('replaces a sealing key the worker would not have made, so what was sealed under it no longer opens', async () => {
    // Script of the origin puts an exportable key where the vault keeps its own, and seals a record with it.
    const planted = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt'])
    await set([ISSUER, clientId, 'key'], planted, store)
    const iv = crypto.getRandomValues(new Uint8Array(12))
    const additionalData = new TextEncoder().encode(
      JSON.stringify(['oauth-enclave/vault/v1', ISSUER, clientId, 'session']),
    )
    const ciphertext = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData },
      planted,
      new TextEncoder().encode('{"v":1}'),
    )
    await set([ISSUER, clientId, 'session'], { format: 'oauth-enclave/vault/v1', iv, ciphertext }, store)

    const vault = createIndexedDbVault(ISSUER, clientId)
    await expect(vault.read('session')).rejects.toMatchObject({ code: 'login_required' })
    await vault.write('session', { v: 2 })
    const key = await get<CryptoKey>([ISSUER, clientId, 'key'], store)
    expect(key).not.toBe(planted)
    expect(key?.extractable).toBe(false)
    expect(await createIndexedDbVault(ISSUER, clientId).read('session')).toEqual({ v: 2 })
  })

  it('never uses the shared default keyval-store database', async () => {
    await createIndexedDbVault(ISSUER, clientId).write('session', 1)
    const databases = (await indexedDB.databases()).map((db) => db.name)
    expect(databases).toContain(VAULT_DATABASE)
    expect(databases).not.toContain('keyval-store')
    expect((await entries(store)).length).toBeGreaterThan(0)
  })
})

describe('memory vault', () => {
  it('round-trips by value', async () => {
    const vault = createMemoryVault()
    const value = { a: [1, 2] }
    await vault.write('s', value)
    value.a.push(3)
    expect(await vault.read('s')).toEqual({ a: [1, 2] })
    await vault.remove('s')
    expect(await vault.read('s')).toBeUndefined()
  })
})
