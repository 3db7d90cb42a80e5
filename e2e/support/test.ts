/**
 * The e2e suite's `test`: every test starts from the servers' defaults, and its page records its
 * console output, to be searched for tokens too. Specs import `test`, `expect` and the demo's
 * settings from here and the rest from the other modules of e2e/support.
 */
import { expect, test as base } from '@playwright/test'
import * as demo from '../../demo/spa/settings.js'
import { resetServers } from './servers.js'

export { demo, expect }

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
