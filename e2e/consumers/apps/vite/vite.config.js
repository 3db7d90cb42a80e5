import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { defineConfig } from 'vite'

const require = createRequire(import.meta.url)

/**
 * A plain Vite app. Its dev server answers `/config.json` from CONSUMER_CONFIG and sends
 * CONSUMER_CSP; its build also ships the package's worker file as `/oauth-enclave-worker.js`, for
 * the `worker` option.
 */
export default defineConfig({
  plugins: [
    {
      name: 'config-json',
      configureServer(server) {
        server.middlewares.use('/config.json', (_req, res) => {
          res.setHeader('Content-Type', 'application/json')
          res.end(process.env.CONSUMER_CONFIG ?? '{}')
        })
      },
    },
    {
      name: 'serve-the-worker-itself',
      apply: 'build',
      generateBundle() {
        const file = require.resolve('@oauth-enclave/client/worker.js')
        this.emitFile({ type: 'asset', fileName: 'oauth-enclave-worker.js', source: readFileSync(file) })
      },
    },
  ],
  server: {
    headers: process.env.CONSUMER_CSP ? { 'Content-Security-Policy': process.env.CONSUMER_CSP } : {},
  },
})
