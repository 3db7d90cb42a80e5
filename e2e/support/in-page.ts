/**
 * Helpers for code that runs in the page. Playwright sends a page function as its source text, so
 * a helper such a function calls must travel the same way: each helper here is written
 * self-contained (nothing from its module's scope) and is sent as source beside the function.
 * Evaluated by the test harness, not by page script, so the page's CSP (no eval) does not apply.
 */
import type { Page } from '@playwright/test'

/** Self-contained functions, by the name the page function receives them under. */
export type PageHelpers = Record<string, (...args: never[]) => unknown>

/** The script `fn(helpers, arg)`, `arg` sent as JSON. */
function script<H extends PageHelpers, A>(helpers: H, fn: (helpers: H, arg: A) => unknown, arg: A): string {
  const sources = Object.entries(helpers).map(([name, helper]) => `${JSON.stringify(name)}: ${helper.toString()}`)
  return `(${fn.toString()})({ ${sources.join(', ')} }, ${JSON.stringify(arg) ?? 'undefined'})`
}

/** Like `page.evaluate(fn, arg)`, with `helpers` passed to `fn` in the page. */
export async function evaluateWith<H extends PageHelpers, A, R>(
  page: Page,
  helpers: H,
  fn: (helpers: H, arg: A) => R | Promise<R>,
  arg: A,
): Promise<R> {
  return (await page.evaluate(script(helpers, fn, arg))) as R
}

/** Like `page.addInitScript(fn, arg)`, with `helpers` passed to `fn` in every document the page loads. */
export async function addInitScriptWith<H extends PageHelpers, A>(
  page: Page,
  helpers: H,
  fn: (helpers: H, arg: A) => void,
  arg: A,
): Promise<void> {
  await page.addInitScript({ content: script(helpers, fn, arg) })
}
