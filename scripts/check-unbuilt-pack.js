// @ts-check
/**
 * `pnpm pack` or `pnpm publish` of a package that was not built must fail, not publish a package
 * without its code. Every package in packages/* has the `prepack` script
 * `node ../../scripts/check-built.js`; for each, a copy of its sources without `dist/` is packed
 * with pnpm, which must fail with check-built's message and write no tarball.
 *
 * Usage: `node scripts/check-unbuilt-pack.js` (scripts/check-packages.js runs it).
 */
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pnpm } from './pack-packages.js'

const repo = resolve(import.meta.dirname, '..')
const PREPACK = 'node ../../scripts/check-built.js'
const [command, prefix] = pnpm()
/** @type {string[]} */
const problems = []
// The copies sit at <scratch>/packages/<name>, so `../../scripts` is this repository's, linked.
const scratch = mkdtempSync(join(tmpdir(), 'oauth-enclave-unbuilt-'))
try {
  symlinkSync(join(repo, 'scripts'), join(scratch, 'scripts'), 'dir')
  for (const dir of readdirSync(join(repo, 'packages'))) {
    const source = join(repo, 'packages', dir)
    const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'))
    if (manifest.scripts?.prepack !== PREPACK) {
      problems.push(`${manifest.name}: its prepack script must be \`${PREPACK}\``)
      continue
    }
    const copy = join(scratch, 'packages', dir)
    mkdirSync(copy, { recursive: true })
    for (const entry of readdirSync(source)) {
      if (entry !== 'dist' && entry !== 'node_modules')
        cpSync(join(source, entry), join(copy, entry), { recursive: true })
    }
    const packs = join(scratch, 'packs', dir)
    const result = spawnSync(command, [...prefix, 'pack', '--pack-destination', packs], { cwd: copy, encoding: 'utf8' })
    const output = `${result.stdout}${result.stderr}`
    const wrote = readdirSync(scratch).includes('packs') ? readdirSync(join(scratch, 'packs')).includes(dir) : false
    if (result.status === 0 || wrote) problems.push(`${manifest.name}: pnpm pack without a build succeeded`)
    else if (!output.includes('is not built'))
      problems.push(`${manifest.name}: pnpm pack failed, but not for want of a build:\n${output}`)
    else console.log(`${manifest.name}: pnpm pack without a build fails: ${/\S+ is not built[^\n]*/.exec(output)?.[0]}`)
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
for (const problem of problems) console.error(problem)
if (problems.length > 0) process.exit(1)
