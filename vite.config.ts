import { svelte } from '@sveltejs/vite-plugin-svelte'
import { playwright } from '@vitest/browser-playwright'
import { defineConfig } from 'vitest/config'
import { CHROMIUM_ARGS, chromiumPath } from './scripts/chromium.js'

const executablePath = chromiumPath()

// Vitest 5's reporter calls Map.groupBy (Node ≥ 21) when it prints a failure; Node 20 lacks it.
if (!('groupBy' in Map)) {
  Object.defineProperty(Map, 'groupBy', {
    value<K, T>(items: Iterable<T>, key: (item: T, index: number) => K): Map<K, T[]> {
      const groups = new Map<K, T[]>()
      let index = 0
      for (const item of items) {
        const k = key(item, index++)
        groups.set(k, [...(groups.get(k) ?? []), item])
      }
      return groups
    },
  })
}

/** Real Chromium: real Workers, WebCrypto, IndexedDB, Web Locks. A fresh object per project: vitest names its instances. */
const browser = () => ({
  enabled: true,
  headless: true,
  screenshotFailures: false,
  provider: playwright({
    launchOptions: { ...(executablePath && { executablePath }), args: CHROMIUM_ARGS },
  }),
  instances: [{ browser: 'chromium' as const }],
})

/** Vue's compile-time flags, as an app's bundler sets them (Vue warns when they are missing). */
const vueFlags = {
  __VUE_OPTIONS_API__: 'true',
  __VUE_PROD_DEVTOOLS__: 'false',
  __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
}

export default defineConfig({
  test: {
    projects: [
      {
        // Unit tests of the SDK.
        optimizeDeps: {
          // Imported only inside the worker, so Vite's scanner misses them, finds them mid-run and
          // reloads the test ("Vite unexpectedly reloaded a test").
          include: ['idb-keyval', 'oauth4webapi'],
        },
        test: {
          name: 'client',
          root: 'packages/client',
          include: ['test/**/*.test.ts'],
          browser: browser(),
        },
      },
      {
        // The React adapter, against a fake client and the real one.
        optimizeDeps: {
          include: [
            'react',
            'react-dom/client',
            '@oauth-enclave/client > idb-keyval',
            '@oauth-enclave/client > oauth4webapi',
          ],
        },
        test: {
          name: 'react',
          root: 'packages/react',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/**/*.server.test.{ts,tsx}'],
          browser: browser(),
        },
      },
      {
        // The Vue adapter, against a fake client and the real one.
        optimizeDeps: {
          include: ['vue', 'vue-router', '@oauth-enclave/client > idb-keyval', '@oauth-enclave/client > oauth4webapi'],
        },
        test: {
          name: 'vue',
          root: 'packages/vue',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.ssr.test.ts'],
          browser: browser(),
        },
        define: vueFlags,
      },
      {
        // The Vue adapter in a server render: plain Node.
        test: { name: 'vue-ssr', root: 'packages/vue', include: ['test/**/*.ssr.test.ts'], environment: 'node' },
        define: vueFlags,
      },
      {
        // The Svelte adapter, its test components compiled by Svelte's Vite plugin.
        plugins: [svelte({ configFile: false })],
        optimizeDeps: {
          include: ['@oauth-enclave/client > idb-keyval', '@oauth-enclave/client > oauth4webapi'],
        },
        test: {
          name: 'svelte',
          root: 'packages/svelte',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.ssr.test.ts'],
          browser: browser(),
        },
      },
      {
        // The Svelte adapter in a server render: plain Node, components compiled for the server.
        plugins: [svelte({ configFile: false })],
        test: { name: 'svelte-ssr', root: 'packages/svelte', include: ['test/**/*.ssr.test.ts'], environment: 'node' },
      },
      {
        // Server rendering: the adapter and the client in Node, no DOM (Next.js, a prerender).
        test: {
          name: 'react-server',
          root: 'packages/react',
          include: ['test/**/*.server.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        // The Angular adapter, zoneless and with zone.js, against a fake client.
        optimizeDeps: {
          include: [
            '@angular/compiler',
            '@angular/core',
            '@angular/common',
            '@angular/common/http',
            '@angular/common/http/testing',
            '@angular/platform-browser',
            '@angular/router',
            'rxjs',
            'zone.js',
            '@oauth-enclave/client > idb-keyval',
            '@oauth-enclave/client > oauth4webapi',
          ],
        },
        test: {
          name: 'angular',
          root: 'packages/angular',
          include: ['test/**/*.test.ts'],
          setupFiles: ['test/support/jit.ts'],
          browser: browser(),
        },
      },
    ],
  },
})
