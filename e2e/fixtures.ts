import { expect, test as base, type Page } from '@playwright/test'
import * as demo from '../demo/spa/settings.js'

export { demo, expect }

export interface IssuedTokens {
  access: string[]
  refresh: string[]
  id: string[]
}

/** Every token value the provider's token endpoint has issued so far: the values to look for. */
export async function issuedTokens(): Promise<IssuedTokens> {
  const response = await fetch(`${demo.issuer}/__test/tokens`)
  expect(response.ok).toBe(true)
  return (await response.json()) as IssuedTokens
}

export interface Counters {
  token: { authorization_code: number; refresh_token: number }
  errors: Record<string, number>
  revocation: number
  dpopNonceChallenges: number
  dropped: number
}

export async function providerCounters(): Promise<Counters> {
  return (await (await fetch(`${demo.issuer}/__test/counters`)).json()) as Counters
}

export interface LoggedRequest {
  method: string
  path: string
  authorization: boolean
  dpop: boolean
}

/** What a server of the demo saw: whether each request carried `Authorization` or `DPoP`. */
export async function requestLog(origin: string): Promise<LoggedRequest[]> {
  return (await (await fetch(`${origin}/__log`)).json()) as LoggedRequest[]
}

export async function clearRequestLog(origin: string): Promise<void> {
  await fetch(`${origin}/__log/clear`, { method: 'POST' })
}

/** Logs in through the SPA's button and the provider's login page. */
export async function login(page: Page, name = 'alice'): Promise<void> {
  await page.goto('/')
  await expect(page.getByTestId('status')).toHaveText('Signed out')
  await page.getByRole('button', { name: 'Log in' }).click()
  // With a session at the provider already, it sends the browser straight back.
  const form = page.locator('input[name=login]')
  const signedIn = page.getByTestId('status').filter({ hasText: 'Signed in' })
  await expect(form.or(signedIn)).toBeVisible()
  if (await form.isVisible()) {
    await form.fill(name)
    await page.locator('input[name=password]').fill('any password')
    await page.locator('button[type=submit]').click()
  }
  await page.waitForURL(`${demo.spaOrigin}/`)
  await expect(page.getByTestId('status')).toHaveText('Signed in')
}

/**
 * Logs out through the SPA's button and waits until the provider's end-session page has sent the
 * browser back to the SPA, loaded and signed out.
 */
export async function logout(page: Page): Promise<void> {
  const endSession = page.waitForRequest((request) => request.url().startsWith(`${demo.issuer}/session/end`))
  await page.getByRole('button', { name: 'Log out' }).click()
  await endSession
  await page.waitForURL(`${demo.spaOrigin}/`, { waitUntil: 'load' })
  await expect(page.getByTestId('status')).toHaveText('Signed out')
}

/** The forms a token value could take in storage: raw, base64url, base64, JSON-escaped. */
export function tokenForms(token: string): string[] {
  const bytes = new TextEncoder().encode(token)
  const base64 = Buffer.from(bytes).toString('base64')
  const base64url = Buffer.from(bytes).toString('base64url')
  return [...new Set([token, base64, base64url, JSON.stringify(token).slice(1, -1)])]
}

/** Which of `tokens` (in any of {@link tokenForms}) occur in `haystack`. */
export function findTokens(haystack: string, tokens: string[]): string[] {
  return tokens.filter((token) => tokenForms(token).some((form) => haystack.includes(form)))
}

/**
 * Everything the page's own script can read: web storage, cookies, the URL, `history.state`, and
 * the raw contents of every IndexedDB database of the origin, with binary values decoded as latin1,
 * UTF-8 and base64url too.
 */
export async function readableByPage(page: Page): Promise<string> {
  const dump = await page.evaluate(async () => {
    const seen: string[] = []
    const bytesToStrings = (bytes: Uint8Array): string[] => {
      let latin1 = ''
      for (const byte of bytes) latin1 += String.fromCharCode(byte)
      const base64url = btoa(latin1).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
      return [latin1, new TextDecoder().decode(bytes), base64url]
    }
    const walk = (value: unknown, depth = 0): void => {
      if (depth > 20 || value === null || value === undefined) return
      if (typeof value === 'string') seen.push(value)
      else if (typeof value === 'number' || typeof value === 'boolean') seen.push(String(value))
      else if (value instanceof ArrayBuffer) seen.push(...bytesToStrings(new Uint8Array(value)))
      else if (ArrayBuffer.isView(value))
        seen.push(...bytesToStrings(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)))
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
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(info.name!)
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error)
      })
      seen.push(`[db ${db.name}]`)
      for (const storeName of db.objectStoreNames) {
        const tx = db.transaction(storeName, 'readonly')
        const store = tx.objectStore(storeName)
        const [keys, values] = await Promise.all(
          [store.getAllKeys(), store.getAll()].map(
            (request) =>
              new Promise<unknown[]>((resolve, reject) => {
                request.onsuccess = () => resolve(request.result as unknown[])
                request.onerror = () => reject(request.error)
              }),
          ),
        )
        walk(keys)
        walk(values)
      }
      db.close()
    }
    return seen.join('\n')
  })
  const cookies = await page.context().cookies()
  return `${dump}\n${cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('\n')}`
}

/** A test whose page records its console output, to be searched for tokens too. */
export const test = base.extend<{ consoleLines: string[]; servers: void }>({
  // Every test starts from the servers' defaults, whatever the previous one changed.
  servers: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from this pattern.
    async ({}, use) => {
      await resetServers()
      await use()
    },
    { auto: true },
  ],
  consoleLines: async ({ page }, use) => {
    const lines: string[] = []
    page.on('console', (message) => lines.push(message.text()))
    page.on('pageerror', (error) => lines.push(String(error)))
    await use(lines)
  },
})

export interface ProviderSettings {
  accessTokenTtl: number
  requireDpopNonce: boolean
  /** `'down'` drops token requests; `'hang'` never answers them. */
  tokenEndpoint: 'up' | 'down' | 'hang'
}

/** Changes the running provider's settings; returns them all. */
export async function providerSettings(changes: Partial<ProviderSettings> = {}): Promise<ProviderSettings> {
  const response = await fetch(`${demo.issuer}/__test/settings`, { method: 'POST', body: JSON.stringify(changes) })
  return (await response.json()) as ProviderSettings
}

export interface ApiSettings {
  requireDpopNonce: boolean
  checkRevocation: boolean
}

/** Changes the running API's settings; returns them all. */
export async function apiSettings(changes: Partial<ApiSettings> = {}): Promise<ApiSettings> {
  const response = await fetch(`${demo.apiOrigin}/__settings`, { method: 'POST', body: JSON.stringify(changes) })
  return (await response.json()) as ApiSettings
}

/** The defaults every test starts from. */
export async function resetServers(): Promise<void> {
  await providerSettings({ accessTokenTtl: 600, requireDpopNonce: false, tokenEndpoint: 'up' })
  await apiSettings({ requireDpopNonce: false, checkRevocation: false })
  await fetch(`${demo.issuer}/__test/reset`, { method: 'POST' })
}
