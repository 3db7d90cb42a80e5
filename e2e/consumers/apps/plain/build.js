import { cpSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** No bundler: the site is these files, the shared page, and the package's `dist/` copied as it is. */
const here = import.meta.dirname
const dist = join(here, 'dist')
const sdk = dirname(fileURLToPath(import.meta.resolve('@oauth-enclave/client/worker.js')))

rmSync(dist, { recursive: true, force: true })
for (const file of ['index.html', 'main.js', 'cdn.html', 'cdn-main.js']) cpSync(join(here, file), join(dist, file))
cpSync(join(here, '../vanilla/app.js'), join(dist, 'app.js'))
cpSync(sdk, join(dist, 'vendor/oauth-enclave-client'), { recursive: true })
