import type { Page } from '@playwright/test'

/** What a router keeps in `history.state` (SvelteKit its navigation index, Next.js its tree). */
export const ROUTER_STATE = { router: 'oauth-enclave-e2e' }

/**
 * Writes {@link ROUTER_STATE} into `history.state` when the redirect URI loads, before the app's
 * script runs, as a router does on start: the app's callback handling must keep it (SvelteKit warns
 * on `history.replaceState(null, …)` and loses its place).
 */
export async function writeRouterStateOnCallback(page: Page): Promise<void> {
  await page.addInitScript((state) => {
    if (location.pathname === '/callback') history.replaceState(state, '')
  }, ROUTER_STATE)
}
