// @ts-check
/**
 * The packages as they would be published: built, then packed with `pnpm pack`, which applies
 * `publishConfig` (exports pointing at dist/) and turns `workspace:` ranges into versions. The one
 * packing pipeline of the repository, used by the test command's package checks
 * (scripts/check-packages.js), the size check (scripts/check-size.js) and the consumer apps of
 * e2e/consumers.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

const repo = resolve(import.meta.dirname, '..')

/**
 * pnpm as the test command runs it (on PATH), or the pinned version through npx.
 *
 * @returns {[command: string, prefix: string[]]}
 */
export function pnpm() {
  if (spawnSync('pnpm', ['--version'], { encoding: 'utf8' }).status === 0) return ['pnpm', []]
  const { packageManager } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'))
  return ['npx', ['-y', packageManager]]
}

/**
 * Runs `command` in the repository; rejects with its output when it fails. With `stdio: 'inherit'`
 * the output goes to this process's instead.
 *
 * @param {string} command
 * @param {string[]} args
 * @param {'pipe' | 'inherit'} stdio
 * @returns {Promise<void>}
 */
function run(command, args, stdio) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: repo, stdio: ['ignore', stdio, stdio] })
    let output = ''
    child.stdout?.on('data', (/** @type {Buffer} */ chunk) => (output += chunk))
    child.stderr?.on('data', (/** @type {Buffer} */ chunk) => (output += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolvePromise()
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}${output && `:\n${output}`}`))
    })
  })
}

/**
 * Modification times of `paths`, recursively.
 *
 * @param {string[]} paths
 * @returns {number[]}
 */
function mtimes(paths) {
  return paths.flatMap((path) => {
    if (!existsSync(path)) return []
    const stat = statSync(path)
    return stat.isDirectory() ? mtimes(readdirSync(path).map((name) => join(path, name))) : [stat.mtimeMs]
  })
}

/**
 * The files a package publishes, as its `publishConfig` names them.
 *
 * @param {string} dir
 */
function publishedFiles(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  /** @type {(value: unknown) => string[]} */
  const targets = (value) =>
    typeof value === 'string'
      ? [value]
      : typeof value === 'object' && value
        ? Object.values(value).flatMap(targets)
        : []
  return targets(manifest.publishConfig)
    .filter((target) => target.startsWith('./dist/'))
    .map((target) => join(dir, target))
}

/**
 * Whether every published file exists and is newer than everything it is built from.
 *
 * @param {string} dir
 */
export function isBuilt(dir) {
  const outputs = publishedFiles(dir)
  if (outputs.length === 0 || !outputs.every((file) => existsSync(file))) return false
  const inputs = mtimes(
    readdirSync(dir)
      .filter((name) => name === 'src' || name === 'package.json' || /^(vite\.config\.ts|tsconfig.*\.json)$/.test(name))
      .map((name) => join(dir, name)),
  )
  return Math.max(...inputs) < Math.min(...mtimes(outputs))
}

/**
 * Packs the packages `filter` selects into `destination` (emptied first); returns the tarballs' paths.
 *
 * @param {object} options
 * @param {string} options.destination
 * @param {string} [options.filter] a pnpm `--filter`: every package by default, or one by name
 * @param {'always' | 'when-stale' | 'never'} [options.build] build first: always, only when a
 *   published file is missing or older than its sources (every package then), or never
 * @param {'pipe' | 'inherit'} [options.stdio] where pnpm's output goes; `pipe` keeps it for the
 *   error of a failed step
 * @returns {Promise<string[]>}
 */
export async function packPackages({ destination, filter = './packages/*', build = 'when-stale', stdio = 'pipe' }) {
  const [command, prefix] = pnpm()
  const packages = readdirSync(join(repo, 'packages')).map((name) => join(repo, 'packages', name))
  if (build === 'always' || (build === 'when-stale' && !packages.every(isBuilt))) {
    await run(command, [...prefix, '--filter', filter, 'run', 'build'], stdio)
  }
  rmSync(destination, { recursive: true, force: true })
  mkdirSync(destination, { recursive: true })
  await run(command, [...prefix, '-r', '--filter', filter, 'pack', '--pack-destination', destination], stdio)
  return readdirSync(destination).map((file) => join(destination, file))
}
