import { nodeResolve } from '@rollup/plugin-node-resolve'
import { copyFileSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { rollup } from 'rollup'

/**
 * A Rollup 4 build, ESM output. Rollup leaves `new URL('./worker.js', import.meta.url)` as it is,
 * so the package's `dist/worker.js` and `dist/on-demand.js` are emitted beside the bundle: the copy
 * step of the client's README, "Bundlers".
 */
const here = import.meta.dirname
const dist = join(here, 'dist')
const sdk = dirname(fileURLToPath(import.meta.resolve('@oauth-enclave/client/worker.js')))

const copySdkFiles = {
  name: 'oauth-enclave',
  generateBundle() {
    for (const fileName of ['worker.js', 'on-demand.js'])
      this.emitFile({ type: 'asset', fileName, source: readFileSync(join(sdk, fileName)) })
  },
}

rmSync(dist, { recursive: true, force: true })
const bundle = await rollup({
  input: join(here, '../vanilla/main.js'),
  plugins: [nodeResolve({ browser: true }), copySdkFiles],
})
await bundle.write({ dir: join(dist, 'assets'), format: 'es' })
copyFileSync(join(here, '../vanilla/index.html'), join(dist, 'index.html'))
