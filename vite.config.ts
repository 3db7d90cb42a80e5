import { playwright } from '@vitest/browser-playwright'
import { defineConfig } from 'vitest/config'
import { CHROMIUM_ARGS, chromiumPath } from './scripts/chromium.js'

const executablePath = chromiumPath()

export default defineConfig({
  test: {
    projects: [
      {
        // Unit tests of the SDK in real Chromium: real Workers, WebCrypto, IndexedDB, Web Locks.
        optimizeDeps: {
          // Imported only inside the worker, so Vite's scanner misses them (toolchain.md).
          include: ['comlink', 'idb-keyval', 'oauth4webapi'],
        },
        test: {
          name: 'client',
          root: 'packages/client',
          include: ['test/**/*.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: { ...(executablePath && { executablePath }), args: CHROMIUM_ARGS },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
})
