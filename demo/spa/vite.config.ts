import { defineConfig } from 'vite'
import * as settings from './settings.js'

/** The demo SPA: built and previewed for the e2e suite, served by the dev server for `pnpm demo`. */
export default defineConfig(({ command }) => ({
  root: import.meta.dirname,
  define: {
    __DEMO_CONFIG__: JSON.stringify({
      issuer: settings.issuer,
      clientId: settings.clientId,
      scope: settings.scope,
      apiOrigin: settings.apiOrigin,
      outsiderOrigin: settings.outsiderOrigin,
      localProvider: settings.localProvider,
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
  build: {
    outDir: `dist/${settings.spaPort}`,
    emptyOutDir: true,
    target: 'es2022',
    // The demo, and the cold-start page of `pnpm bench`.
    rollupOptions: { input: { main: 'index.html', bench: 'bench.html' } },
  },
  server: {
    host: '127.0.0.1',
    port: settings.spaPort,
    strictPort: true,
    headers: { 'Content-Security-Policy': settings.contentSecurityPolicy({ dev: command === 'serve' }) },
  },
  preview: {
    host: '127.0.0.1',
    port: settings.spaPort,
    strictPort: true,
    headers: { 'Content-Security-Policy': settings.contentSecurityPolicy() },
  },
}))
