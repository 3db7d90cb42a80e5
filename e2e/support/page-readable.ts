/**
 * Everything script in the page can read back later, as one text to search for tokens: web
 * storage, cookies (the page's and the context's), the URL, `history.state`, the raw contents of
 * every IndexedDB database of the origin (binary values decoded as latin1, UTF-8 and base64url
 * too), Cache Storage, `window.name` and the referrer.
 */
import type { Page } from '@playwright/test'
import { decodeBytes } from './bytes'
import { evaluateWith } from './in-page'
import { readAllDatabases } from './page-idb'

export async function everythingThePageCanRead(page: Page): Promise<string> {
  const dump = await evaluateWith(
    page,
    { decodeBytes, readAllDatabases },
    async ({ decodeBytes, readAllDatabases }) => {
      const seen: string[] = []
      const walk = (value: unknown, depth = 0): void => {
        if (depth > 20 || value === null || value === undefined) return
        if (typeof value === 'string') seen.push(value)
        else if (typeof value === 'number' || typeof value === 'boolean') seen.push(String(value))
        else if (value instanceof ArrayBuffer) seen.push(...decodeBytes(new Uint8Array(value)))
        else if (ArrayBuffer.isView(value))
          seen.push(...decodeBytes(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)))
        else if (value instanceof CryptoKey) seen.push(`[CryptoKey ${value.type} extractable=${value.extractable}]`)
        else if (value instanceof Blob) seen.push('[Blob]')
        else if (Array.isArray(value)) value.forEach((item) => walk(item, depth + 1))
        else if (typeof value === 'object') {
          for (const [key, item] of Object.entries(value)) {
            seen.push(key)
            walk(item, depth + 1)
          }
        }
      }
      const storage = (s: Storage) => Object.entries({ ...s }).flat()
      seen.push(...storage(localStorage), ...storage(sessionStorage), document.cookie, location.href)
      walk(history.state)
      for (const database of await readAllDatabases()) {
        seen.push(`[db ${database.name}]`)
        for (const { keys, values } of database.stores) {
          walk(keys)
          walk(values)
        }
      }
      seen.push(window.name, document.referrer)
      for (const name of await caches.keys()) {
        const cache = await caches.open(name)
        for (const request of await cache.keys()) {
          seen.push(request.url, [...request.headers].flat().join('\n'))
          const response = await cache.match(request)
          if (response) seen.push([...response.headers].flat().join('\n'), await response.text())
        }
      }
      return seen.join('\n')
    },
    undefined,
  )
  const cookies = await page.context().cookies()
  return `${dump}\n${cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('\n')}`
}
