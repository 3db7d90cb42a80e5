import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { join } from 'node:path'

/**
 * Parcel 2 with its default settings (no `.parcelrc`, no `packageExports`): the app from its HTML
 * entry, and the two apps of `../shake/` that import only the SDK's errors. Each a `parcel build`
 * of its own, without a cache, all three at once.
 */
const here = import.meta.dirname
const parcel = join(here, '../node_modules/parcel/lib/bin.js')

const builds = [
  [join(here, 'index.html'), join(here, 'dist')],
  [join(here, '../shake/errors-subpath.js'), join(here, '../shake/dist-parcel-errors-subpath')],
  [join(here, '../shake/main-entry.js'), join(here, '../shake/dist-parcel-main-entry')],
]
const run = promisify(execFile)
const options = ['--no-cache', '--no-source-maps', '--log-level', 'warn']
const results = await Promise.allSettled(
  builds.map(([entry, dist]) =>
    run(process.execPath, [parcel, 'build', entry, '--dist-dir', dist, ...options], { cwd: here }).catch((error) => {
      throw new Error(`parcel build ${entry}:\n${error.stdout}${error.stderr}`)
    }),
  ),
)
const failures = results.filter((result) => result.status === 'rejected')
for (const failure of failures) console.error(failure.reason.message)
if (failures.length > 0) process.exit(1)
