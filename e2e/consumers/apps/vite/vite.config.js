import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { defineConfig } from 'vite'
import { devServer } from './dev-server.js'

const require = createRequire(import.meta.url)
const dev = devServer()

/**
 * A plain Vite app. Its dev server answers `/config.json` from CONSUMER_CONFIG and sends
 * CONSUMER_CSP; its build also ships the package's worker file as `/oauth-enclave-worker.js`, for
 * the `worker` option.
 */
export default defineConfig({
  ...dev,
  plugins: [
    ...dev.plugins,
    {
      name: 'serve-the-worker-itself',
      apply: 'build',
      generateBundle() {
        const file = require.resolve('@oauth-enclave/client/worker.js')
        this.emitFile({ type: 'asset', fileName: 'oauth-enclave-worker.js', source: readFileSync(file) })
      },
    },
  ],
})
