/** What an `auth.fetch` call came to, reduced to plain data a test compares. */
import type { Page } from '@playwright/test'
import { evaluateWith } from './in-page'

/**
 * In the page: the status of `response`, or the rejection's `code` (an `AuthError`), else its
 * `name`. Self-contained (in-page.ts).
 */
export function settleFetch(response: Promise<Response>): Promise<number | string> {
  return response.then(
    (r) => r.status,
    (error: { code?: string; name?: string }) => error.code ?? error.name ?? 'error',
  )
}

/** What one `window.auth.fetch(url)` in the page came to: its status or the error's code. */
export async function fetchOutcome(page: Page, url: string): Promise<number | string> {
  return evaluateWith(page, { settleFetch }, ({ settleFetch }, url) => settleFetch(window.auth.fetch(url)), url)
}

/** What `window.auth.getState()` in the page came to: `null`, or the rejection's code and message. */
export async function getStateRefusal(page: Page): Promise<{ code?: string; message?: string } | null> {
  return page.evaluate(() =>
    window.auth.getState().then(
      () => null,
      (error: { code?: string; message?: string }) => ({ code: error.code, message: error.message }),
    ),
  )
}
