import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { join } from 'node:path'

/**
 * Parcel 2: the app from its HTML entry with the `.parcelrc` of the README (Parcel's defaults, and
 * the SDK's `dist/on-demand.js` copied as it is), and the two apps of `../shake/` that import only
 * the SDK's errors, with Parcel's default settings (`--config @parcel/config-default`: no
 * `.parcelrc`, no `packageExports`). Each a `parcel build` of its own, without a cache, all three
 * at once.
 */
const here = import.meta.dirname
const parcel = join(here, '../node_modules/parcel/lib/bin.js')

const defaults = ['--config', '@parcel/config-default']
const builds = [
  [join(here, 'index.html'), join(here, 'dist'), []],
  [join(here, '../shake/errors-subpath.js'), join(here, '../shake/dist-parcel-errors-subpath'), defaults],
  [join(here, '../shake/main-entry.js'), join(here, '../shake/dist-parcel-main-entry'), defaults],
]
const run = promisify(execFile)
const options = ['--no-cache', '--no-source-maps', '--log-level', 'warn']
const results = await Promise.allSettled(
  builds.map(([entry, dist, config]) =>
    run(process.execPath, [parcel, 'build', entry, '--dist-dir', dist, ...config, ...options], { cwd: here }).catch(
      (error) => {
        throw new Error(`parcel build ${entry}:\n${error.stdout}${error.stderr}`)
      },
    ),
  ),
)
const failures = results.filter((result) => result.status === 'rejected')
for (const failure of failures) console.error(failure.reason.message)
if (failures.length > 0) process.exit(1)
