/**
 * IndexedDB as script in the page sees it: every database of the origin, or the SDK's vault store
 * by its name. The in-page halves are self-contained helpers (in-page.ts).
 */
import type { Page } from '@playwright/test'
import { evaluateWith } from './in-page'
import { VAULT_DATABASE, VAULT_STORE } from './sdk-names'

/** One database of the origin: each object store's keys and values, in key order. */
export interface DatabaseDump {
  name: string
  stores: { name: string; keys: IDBValidKey[]; values: unknown[] }[]
}

/** In the page: every IndexedDB database of the origin, read whole. */
export async function readAllDatabases(): Promise<DatabaseDump[]> {
  const result = <T>(request: IDBRequest<T>) =>
    new Promise<T>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
  const dumps: DatabaseDump[] = []
  for (const info of await indexedDB.databases()) {
    const db = await result(indexedDB.open(info.name!))
    const dump: DatabaseDump = { name: db.name, stores: [] }
    for (const storeName of db.objectStoreNames) {
      const store = db.transaction(storeName, 'readonly').objectStore(storeName)
      const [keys, values] = await Promise.all([result(store.getAllKeys()), result(store.getAll())])
      dump.stores.push({ name: storeName, keys, values })
    }
    db.close()
    dumps.push(dump)
  }
  return dumps
}

/** The SDK's vault: its database and object store, for {@link openVault}. */
export const vaultNames = { database: VAULT_DATABASE, store: VAULT_STORE }

/** The SDK's vault store as page script can use it; each call is a transaction of its own. */
export interface PageVault {
  /** Every record, key and value; none when the store does not exist (yet). */
  entries(): Promise<{ key: IDBValidKey; value: unknown }[]>
  get(key: IDBValidKey): Promise<unknown>
  put(key: IDBValidKey, value: unknown): Promise<void>
  delete(key: IDBValidKey): Promise<void>
  close(): void
}

/** In the page: opens the vault's database by name, as any script of the origin can. */
export async function openVault({ database, store }: { database: string; store: string }): Promise<PageVault> {
  const result = <T>(request: IDBRequest<T>) =>
    new Promise<T>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
  const db = await result(indexedDB.open(database))
  const objectStore = (mode: IDBTransactionMode) => db.transaction(store, mode).objectStore(store)
  return {
    async entries() {
      if (!db.objectStoreNames.contains(store)) return []
      const vault = objectStore('readonly')
      const [keys, values] = await Promise.all([result(vault.getAllKeys()), result(vault.getAll())])
      return keys.map((key, index) => ({ key, value: values[index] }))
    },
    get: (key) => result(objectStore('readonly').get(key)),
    put: async (key, value) => void (await result(objectStore('readwrite').put(value, key))),
    delete: async (key) => void (await result(objectStore('readwrite').delete(key))),
    close: () => db.close(),
  }
}

/**
 * Runs `task(vault, arg)` in the page with the SDK's vault open, and closes it after. `task` runs
 * in the page: like any page function, it uses nothing from the test's scope but `arg`.
 */
export async function inVault<A, R>(page: Page, task: (vault: PageVault, arg: A) => Promise<R>, arg: A): Promise<R> {
  return evaluateWith(
    page,
    { openVault, task },
    async ({ openVault, task }, { names, arg }) => {
      const vault = await openVault(names)
      try {
        return await task(vault, arg)
      } finally {
        vault.close()
      }
    },
    { names: vaultNames, arg },
  )
}
