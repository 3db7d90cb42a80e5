import { build } from 'esbuild'
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Two esbuild 0.28 builds of the same page. esbuild leaves `new URL(…, import.meta.url)` alone, so
 * both copy the package's `dist/worker.js` and `dist/on-demand.js` beside the bundle.
 *
 * - `dist-esm/`: ESM output, `import.meta.url` kept.
 * - `dist-iife/`: iife output, a classic script: esbuild empties `import.meta` there, so the shim
 *   of `import-meta-url.js` defines it, for the `import()` of `on-demand.js` (the redirect callback
 *   needs it). The worker comes from the `worker` option, `/oauth-enclave-worker.js`.
 */
const here = import.meta.dirname
const sdk = dirname(fileURLToPath(import.meta.resolve('@oauth-enclave/client/worker.js')))
const page = readFileSync(join(here, '../vanilla/index.html'), 'utf8')

async function app(name, options, html) {
  const dist = join(here, name)
  rmSync(dist, { recursive: true, force: true })
  await build({
    entryPoints: [join(here, '../vanilla/main.js')],
    bundle: true,
    minify: true,
    outdir: join(dist, 'assets'),
    logLevel: 'warning',
    ...options,
  })
  for (const file of ['worker.js', 'on-demand.js']) copyFileSync(join(sdk, file), join(dist, 'assets', file))
  mkdirSync(dist, { recursive: true })
  writeFileSync(join(dist, 'index.html'), html)
  return dist
}

await app('dist-esm', { format: 'esm' }, page)
const iife = await app(
  'dist-iife',
  {
    format: 'iife',
    inject: [join(here, 'import-meta-url.js')],
    define: { 'import.meta.url': 'importMetaUrl' },
  },
  page.replace('<script type="module"', '<script defer'),
)
copyFileSync(join(sdk, 'worker.js'), join(iife, 'oauth-enclave-worker.js'))
