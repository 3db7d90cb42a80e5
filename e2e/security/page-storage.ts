/**
 * Everything script in the page can read back later: what `readableByPage` (e2e/fixtures.ts)
 * collects (web storage, cookies, the URL, `history.state`, every IndexedDB database with binary
 * values decoded), plus Cache Storage, `window.name` and the referrer.
 */
import type { Page } from '@playwright/test'
import { readableByPage } from '../fixtures'

export async function everythingThePageCanRead(page: Page): Promise<string> {
  const more = await page.evaluate(async () => {
    const seen = [window.name, document.referrer]
    for (const name of await caches.keys()) {
      const cache = await caches.open(name)
      for (const request of await cache.keys()) {
        seen.push(request.url, [...request.headers].flat().join('\n'))
        const response = await cache.match(request)
        if (response) seen.push([...response.headers].flat().join('\n'), await response.text())
      }
    }
    return seen.join('\n')
  })
  return `${await readableByPage(page)}\n${more}`
}
