// @ts-check
/**
 * The test command's `packages` step: builds packages/*, packs each as it would be published
 * (scripts/pack-packages.js), lints every
 * tarball with publint --strict and Are the Types Wrong, checks its packed manifest
 * (scripts/check-manifest.js), checks the client's size budgets on its
 * tarball (scripts/check-size.js), imports every packed entry point in plain Node as a server
 * renderer would (scripts/check-server-imports.js), checks that packing an unbuilt package fails
 * (scripts/check-unbuilt-pack.js), and builds the API reference with TypeDoc, whose warnings are
 * errors. Every check runs; the exit code is non-zero if any failed.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { packPackages } from './pack-packages.js'

/** @param {string} name */
const bin = (name) => join('node_modules', '.bin', name)
const scratch = mkdtempSync(join(tmpdir(), 'oauth-enclave-packages-'))
/** @type {string[]} */
const failed = []

/**
 * @param {string} what
 * @param {string} command
 * @param {string[]} args
 */
function check(what, command, args) {
  console.log(`\n· ${what}`)
  const result = spawnSync(command, args, { stdio: 'inherit' })
  if (result.status !== 0) failed.push(what)
  return result.status === 0
}

try {
  console.log('\n· build and pack')
  const tarballs = await packPackages({ destination: join(scratch, 'packs'), build: 'always', stdio: 'inherit' }).catch(
    (/** @type {Error} */ error) => {
      console.error(error.message)
      failed.push('build and pack')
      return []
    },
  )
  for (const tarball of tarballs) {
    check(`manifest ${basename(tarball)}`, 'node', ['scripts/check-manifest.js', tarball])
    check(`publint ${tarball}`, bin('publint'), ['--strict', tarball])
    // ESM only (the SDK relies on import.meta.url), so CommonJS resolution is not checked. Every
    // entry point, the worker script's included (its types say it exports nothing).
    check(`attw ${tarball}`, bin('attw'), [tarball, '--profile', 'esm-only'])
    if (basename(tarball).startsWith('oauth-enclave-client-')) {
      check(`size ${basename(tarball)}`, 'node', ['scripts/check-size.js', tarball])
    }
  }
  if (tarballs.length > 0) check('server imports', 'node', ['scripts/check-server-imports.js', ...tarballs])
  check('pack without a build', 'node', ['scripts/check-unbuilt-pack.js'])
  check('typedoc', bin('typedoc'), ['--out', join(scratch, 'api'), '--logLevel', 'Warn'])
} finally {
  rmSync(scratch, { recursive: true, force: true })
}

if (failed.length > 0) {
  console.error(`\npackages: failed: ${failed.join(', ')}`)
  process.exit(1)
}
