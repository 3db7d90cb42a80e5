import { defineConfig } from 'vite'
import * as settings from '../spa/settings.js'

/**
 * The React demo: the same provider and API as the SPA, through `@oauth-enclave/react`, on its own
 * origin (REACT_DEMO_PORT). Built and previewed by its e2e test, served by the dev server for
 * `pnpm demo`.
 */
export default defineConfig(({ command }) => ({
  root: import.meta.dirname,
  publicDir: '../spa/public',
  define: {
    __DEMO_CONFIG__: JSON.stringify({
      issuer: settings.issuer,
      clientId: settings.clientId,
      scope: settings.scope,
      apiOrigin: settings.apiOrigin,
    }),
  },
  optimizeDeps: {
    // Imported only inside the worker, so the dependency scanner misses them and, finding them
    // late, reloads the page.
    include: [
      '@oauth-enclave/client > comlink',
      '@oauth-enclave/client > idb-keyval',
      '@oauth-enclave/client > oauth4webapi',
    ],
  },
  // One output per port, so test runs on different ports never share a build.
  build: { outDir: `dist/${settings.reactPort}`, emptyOutDir: true, target: 'es2022' },
  server: {
    host: '127.0.0.1',
    port: settings.reactPort,
    strictPort: true,
    headers: {
      'Content-Security-Policy': settings.contentSecurityPolicy({
        dev: command === 'serve',
        port: settings.reactPort,
      }),
    },
  },
  preview: {
    host: '127.0.0.1',
    port: settings.reactPort,
    strictPort: true,
    headers: { 'Content-Security-Policy': settings.contentSecurityPolicy() },
  },
}))
