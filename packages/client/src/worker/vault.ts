import { createStore, delMany, get, getMany, promisifyRequest, update, type UseStore } from 'idb-keyval'
import { AuthError } from '../shared/errors'
import { isOwnKey } from './vault-records'

/**
 * Where the worker keeps what must outlive it. Values are JSON data, encrypted at rest, plus
 * `CryptoKey`s, which are stored as-is: structured clone keeps them non-extractable.
 */
export interface Vault {
  /**
   * The decrypted record, or `undefined` when there is none.
   *
   * @throws AuthError `login_required` when the record cannot be decrypted or parsed: tampered,
   *   encrypted under a lost key, or moved from another issuer, client or record name.
   */
  read(name: string): Promise<unknown>
  /**
   * A record and the key pair stored beside it, read in one IndexedDB transaction: what belongs
   * together is never seen half-written.
   *
   * The keys come as stored, unchecked: `undefined` when there are none, otherwise whatever is
   * there (check with `isDPoPKeyPair`: script of the origin can write here).
   *
   * @throws AuthError `login_required` as {@link Vault.read} does.
   */
  readWithKeys(name: string, keysName: string): Promise<{ value: unknown; keys: unknown }>
  /**
   * Seals and stores a record and, with `keys`, in the same IndexedDB transaction, stores the key
   * pair beside it (`pair: null` removes it).
   */
  write(
    name: string,
    value: unknown,
    keys?: { readonly name: string; readonly pair: CryptoKeyPair | null },
  ): Promise<void>
  /** Removes the records, in one IndexedDB transaction. */
  remove(...names: string[]): Promise<void>
}

/** An AES-GCM 256 key for sealing records, as the worker generates it: non-extractable. */
export function isSealingKey(key: unknown): key is CryptoKey {
  return isOwnKey(
    key,
    'secret',
    'decrypt,encrypt',
    (algorithm) => algorithm.name === 'AES-GCM' && (algorithm as AesKeyAlgorithm).length === 256,
  )
}

/** The SDK's own IndexedDB database: never idb-keyval's shared default `keyval-store`. */
export const VAULT_DATABASE = 'oauth-enclave'
export const VAULT_STORE = 'vault'
const FORMAT = 'oauth-enclave/vault/v1'

interface SealedRecord {
  readonly format: typeof FORMAT
  readonly iv: Uint8Array<ArrayBuffer>
  readonly ciphertext: ArrayBuffer
}

function isSealedRecord(value: unknown): value is SealedRecord {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Partial<SealedRecord>
  return record.format === FORMAT && record.iv instanceof Uint8Array && record.ciphertext instanceof ArrayBuffer
}

let sharedStore: UseStore | undefined
/** One connection per worker, opened on first use. */
function vaultStore(): UseStore {
  sharedStore ??= createStore(VAULT_DATABASE, VAULT_STORE)
  return sharedStore
}

/** How long opening the database may take before it counts as unavailable. */
const PROBE_TIMEOUT_MS = 3_000

/** Whether IndexedDB can be opened and read here (some private modes block it, or it hangs). */
export async function indexedDbUsable(): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('IndexedDB did not open in time')), PROBE_TIMEOUT_MS)
    })
    await Promise.race([get(['probe'], vaultStore()), timeout])
    return true
  } catch {
    sharedStore = undefined
    return false
  } finally {
    clearTimeout(timer)
  }
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function unreadable(): AuthError {
  return new AuthError('login_required', 'the stored session was unreadable')
}

/**
 * An IndexedDB vault scoped to one issuer and client. Records are sealed with AES-GCM 256 under a
 * key generated non-extractable in the worker (WebCrypto), with a fresh 96-bit IV per write (NIST
 * SP 800-38D §8.2) and additional data binding each record to issuer, client and record name.
 */
export function createIndexedDbVault(issuer: string, clientId: string): Vault {
  const store = vaultStore()
  const idbKey = (name: string): IDBValidKey => [issuer, clientId, name]
  const additionalData = (name: string): Uint8Array<ArrayBuffer> =>
    encoder.encode(JSON.stringify([FORMAT, issuer, clientId, name]))

  let keyPromise: Promise<CryptoKey> | undefined
  function sealingKey(): Promise<CryptoKey> {
    keyPromise ??= loadOrCreateKey().catch((error: unknown) => {
      keyPromise = undefined
      throw error
    })
    return keyPromise
  }

  async function loadOrCreateKey(): Promise<CryptoKey> {
    const existing = await get<unknown>(idbKey('key'), store)
    if (isSealingKey(existing)) return existing
    // None yet, or one the worker would not have made (extractable, another algorithm): script of
    // the origin can write here. It is replaced, and what it sealed no longer opens.
    const candidate = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
    // Two tabs may race to create the key: the read-modify-write runs in one IndexedDB
    // transaction, so both end up with whichever was stored first.
    await update<unknown>(idbKey('key'), (current) => (isSealingKey(current) ? current : candidate), store)
    const stored = await get<unknown>(idbKey('key'), store)
    if (!isSealingKey(stored)) throw unreadable()
    return stored
  }

  /** Decrypts a stored record read under `name`; `undefined` stays `undefined`. */
  async function open(name: string, record: unknown, key: Promise<CryptoKey>): Promise<unknown> {
    if (record === undefined) return undefined
    if (!isSealedRecord(record)) throw unreadable()
    let plaintext: ArrayBuffer
    try {
      plaintext = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: record.iv, additionalData: additionalData(name) },
        await key,
        record.ciphertext,
      )
    } catch {
      throw unreadable()
    }
    try {
      // Data, parsed as data: never evaluated.
      return JSON.parse(decoder.decode(plaintext)) as unknown
    } catch {
      throw unreadable()
    }
  }

  /** The sealing key, looked up alongside a read: one IndexedDB round trip less on a page load. */
  function keyForRead(): Promise<CryptoKey> {
    // (Where nothing is stored yet, this creates the key one call before the first write would.)
    const key = sealingKey()
    key.catch(() => undefined)
    return key
  }

  return {
    async read(name) {
      const key = keyForRead()
      return open(name, await get<unknown>(idbKey(name), store), key)
    },

    async readWithKeys(name, keysName) {
      const key = keyForRead()
      const [record, keys] = await getMany<unknown>([idbKey(name), idbKey(keysName)], store)
      return { value: await open(name, record, key), keys }
    },

    async write(name, value, keys) {
      const iv = crypto.getRandomValues(new Uint8Array(12))
      const ciphertext = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: additionalData(name) },
        await sealingKey(),
        encoder.encode(JSON.stringify(value)),
      )
      const record: SealedRecord = { format: FORMAT, iv, ciphertext }
      await store('readwrite', (records) => {
        records.put(record, idbKey(name))
        if (keys?.pair) records.put(keys.pair, idbKey(keys.name))
        else if (keys) records.delete(idbKey(keys.name))
        return promisifyRequest(records.transaction)
      })
    },

    async remove(...names) {
      await delMany(names.map(idbKey), store)
    },
  }
}

/** A vault in worker memory only: nothing outlives the worker. */
export function createMemoryVault(): Vault {
  const records = new Map<string, unknown>()
  const read = async (name: string): Promise<unknown> =>
    records.has(name) ? structuredClone(records.get(name)) : undefined
  return {
    read,
    async write(name, value, keys) {
      records.set(name, structuredClone(value))
      if (keys?.pair) records.set(keys.name, keys.pair)
      else if (keys) records.delete(keys.name)
    },
    async readWithKeys(name, keysName) {
      return { value: await read(name), keys: records.get(keysName) }
    },
    async remove(...names) {
      for (const name of names) records.delete(name)
    },
  }
}
