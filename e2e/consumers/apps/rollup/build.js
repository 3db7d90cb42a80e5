import { nodeResolve } from '@rollup/plugin-node-resolve'
import { copyFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { rollup } from 'rollup'

/**
 * A Rollup 4 build, ESM output. Rollup leaves `new URL('./worker.js', import.meta.url)` as it is,
 * so the package's `dist/worker.js` and `dist/on-demand.js` are copied beside the bundle: the
 * documented copy step.
 */
const here = import.meta.dirname
const dist = join(here, 'dist')
const sdk = dirname(fileURLToPath(import.meta.resolve('@oauth-enclave/client/worker.js')))

rmSync(dist, { recursive: true, force: true })
const bundle = await rollup({ input: join(here, '../vanilla/main.js'), plugins: [nodeResolve({ browser: true })] })
await bundle.write({ dir: join(dist, 'assets'), format: 'es' })
for (const file of ['worker.js', 'on-demand.js']) copyFileSync(join(sdk, file), join(dist, 'assets', file))
copyFileSync(join(here, '../vanilla/index.html'), join(dist, 'index.html'))
