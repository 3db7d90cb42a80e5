import { createStore, del, get, set, update, type UseStore } from 'idb-keyval'
import { AuthError } from '../shared/errors'

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
  write(name: string, value: unknown): Promise<void>
  readKeys(name: string): Promise<CryptoKeyPair | undefined>
  writeKeys(name: string, keys: CryptoKeyPair): Promise<void>
  remove(...names: string[]): Promise<void>
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
  return new AuthError('login_required', 'the stored session could not be read and was discarded')
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
    if (existing instanceof CryptoKey) return existing
    const candidate = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
    // Two tabs may race to create the key: the read-modify-write runs in one IndexedDB
    // transaction, so both end up with whichever was stored first.
    await update<unknown>(idbKey('key'), (current) => (current instanceof CryptoKey ? current : candidate), store)
    const stored = await get<unknown>(idbKey('key'), store)
    if (!(stored instanceof CryptoKey)) throw unreadable()
    return stored
  }

  return {
    async read(name) {
      // The key is looked up alongside the record: one IndexedDB round trip less on a page load.
      // (Where nothing is stored yet, this creates the key one call before the first write would.)
      const key = sealingKey()
      key.catch(() => undefined)
      const record = await get<unknown>(idbKey(name), store)
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
    },

    async write(name, value) {
      const iv = crypto.getRandomValues(new Uint8Array(12))
      const ciphertext = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: additionalData(name) },
        await sealingKey(),
        encoder.encode(JSON.stringify(value)),
      )
      const record: SealedRecord = { format: FORMAT, iv, ciphertext }
      await set(idbKey(name), record, store)
    },

    async readKeys(name) {
      const value = await get<unknown>(idbKey(name), store)
      if (
        typeof value === 'object' &&
        value !== null &&
        (value as CryptoKeyPair).privateKey instanceof CryptoKey &&
        (value as CryptoKeyPair).publicKey instanceof CryptoKey
      ) {
        return value as CryptoKeyPair
      }
      return undefined
    },

    async writeKeys(name, keys) {
      await set(idbKey(name), keys, store)
    },

    async remove(...names) {
      await Promise.all(names.map((name) => del(idbKey(name), store)))
    },
  }
}

/** A vault in worker memory only: nothing outlives the worker. */
export function createMemoryVault(): Vault {
  const records = new Map<string, unknown>()
  return {
    async read(name) {
      return records.has(name) ? structuredClone(records.get(name)) : undefined
    },
    async write(name, value) {
      records.set(name, structuredClone(value))
    },
    async readKeys(name) {
      return records.get(name) as CryptoKeyPair | undefined
    },
    async writeKeys(name, keys) {
      records.set(name, keys)
    },
    async remove(...names) {
      for (const name of names) records.delete(name)
    },
  }
}
