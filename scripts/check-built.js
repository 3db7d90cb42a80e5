// @ts-check
/**
 * Every package's `prepack` script: `pnpm pack` and `pnpm publish` stop, loudly, when a file the
 * package publishes (its `publishConfig` targets in `dist/`) is missing or older than its sources,
 * instead of packing a package without its code. A check rather than a build: the test command
 * builds once, then packs (scripts/pack-packages.js).
 *
 * Usage: `node ../../scripts/check-built.js`, in the package's folder (where lifecycle scripts run).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { isBuilt } from './pack-packages.js'

const dir = process.cwd()
if (!isBuilt(dir)) {
  const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  console.error(`${name} is not built, or its build is older than its sources: run \`pnpm build\` first.`)
  process.exit(1)
}
