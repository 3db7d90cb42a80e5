// @ts-check
/**
 * The test command's manifest check of a packed package (scripts/check-packages.js runs it on every
 * tarball): what `pnpm pack` wrote into `package/package.json`, against the files the tarball holds.
 *
 * - `main`, `module` and `types` sit beside `exports`, for tools that read no `exports` (older
 *   TypeScript `moduleResolution: node`, Jest, some bundler plugins), and every one of them and every
 *   `exports` target names a file the tarball holds.
 * - A package of this repository that another one needs is a peer dependency with a version range
 *   (`^x.y.z`), never a regular dependency nor an exact version: the app installs the SDK once, and
 *   the adapter uses that copy.
 *
 * Prints each problem; exits non-zero when there is one.
 *
 * Usage: `node scripts/check-manifest.js path/to/package-x.y.z.tgz`
 */
import { spawnSync } from 'node:child_process'
import { basename } from 'node:path'

/**
 * @typedef {object} Manifest the fields checked
 * @property {string} name
 * @property {string} [main]
 * @property {string} [module]
 * @property {string} [types]
 * @property {unknown} [exports]
 * @property {Record<string, string>} [dependencies]
 * @property {Record<string, string>} [peerDependencies]
 */

/** The entry fields that must sit beside `exports`. */
const ENTRY_FIELDS = /** @type {const} */ (['main', 'module', 'types'])

/**
 * Every file path a conditional `exports` map names.
 *
 * @param {unknown} value
 * @returns {string[]}
 */
const exportTargets = (value) =>
  typeof value === 'string'
    ? [value]
    : typeof value === 'object' && value
      ? Object.values(value).flatMap(exportTargets)
      : []

/** The packages of this repository. */
const OWN_SCOPE = '@oauth-enclave/'

/**
 * What is wrong with a packed manifest, one line each; none when it is right.
 *
 * @param {Manifest} manifest
 * @param {string[]} files the tarball's files, relative to its `package/` folder
 * @returns {string[]}
 */
export function manifestProblems(manifest, files) {
  /** @type {string[]} */
  const problems = []
  const packed = new Set(files.map((file) => file.replace(/^\.\//, '')))
  const inTarball = (/** @type {string} */ target) => packed.has(target.replace(/^\.\//, ''))
  for (const field of ENTRY_FIELDS) {
    const target = manifest[field]
    if (target === undefined) problems.push(`no "${field}" beside "exports"`)
    else if (!inTarball(target)) problems.push(`"${field}" names ${target}, which the tarball does not hold`)
  }
  if (manifest.exports === undefined) problems.push('no "exports"')
  for (const target of exportTargets(manifest.exports)) {
    if (!inTarball(target)) problems.push(`"exports" names ${target}, which the tarball does not hold`)
  }
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    if (name.startsWith(OWN_SCOPE)) problems.push(`${name} is a dependency: make it a peer dependency`)
  }
  for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
    if (!name.startsWith(OWN_SCOPE)) continue
    if (!/^[~^]\d+\.\d+\.\d+/.test(range)) {
      problems.push(`peer dependency ${name} is "${range}": pack it as a range (workspace:^ packs as ^x.y.z)`)
    }
  }
  return problems
}

/** @param {string[]} args */
function tar(args) {
  const result = spawnSync('tar', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (result.status !== 0) throw new Error(`tar ${args.join(' ')} failed: ${result.stderr}`)
  return result.stdout
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const tarball = process.argv[2]
  if (!tarball) throw new Error('usage: node scripts/check-manifest.js <tarball>')
  const manifest = /** @type {Manifest} */ (JSON.parse(tar(['-xzOf', tarball, 'package/package.json'])))
  const files = tar(['-tzf', tarball])
    .split('\n')
    .filter(Boolean)
    .map((entry) => entry.replace(/^package\//, ''))
  const problems = manifestProblems(manifest, files)
  for (const problem of problems) console.error(`${basename(tarball)}: ${problem}`)
  if (problems.length > 0) process.exitCode = 1
  else console.log(`${manifest.name}: manifest ok`)
}
