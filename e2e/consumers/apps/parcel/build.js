import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

/**
 * Parcel 2 with its default settings (no `.parcelrc`, no `packageExports`): the app from its HTML
 * entry, and the two apps of `../shake/` that import only the SDK's errors. Each a `parcel build`
 * of its own, without a cache.
 */
const here = import.meta.dirname
const parcel = join(here, '../node_modules/parcel/lib/bin.js')

const builds = [
  [join(here, 'index.html'), join(here, 'dist')],
  [join(here, '../shake/errors-subpath.js'), join(here, '../shake/dist-parcel-errors-subpath')],
  [join(here, '../shake/main-entry.js'), join(here, '../shake/dist-parcel-main-entry')],
]
for (const [entry, dist] of builds) {
  const args = [parcel, 'build', entry, '--dist-dir', dist, '--no-cache', '--no-source-maps', '--log-level', 'warn']
  const { status, stdout, stderr } = spawnSync(process.execPath, args, { cwd: here, encoding: 'utf8' })
  if (status !== 0) {
    console.error(`parcel build ${entry}:\n${stdout}${stderr}`)
    process.exit(1)
  }
}
