// @ts-check
/**
 * Server rendering (Next.js server components and `next build`'s prerender, SvelteKit, Nuxt, a
 * Vitest `node` environment): every entry point of every packed package imports in plain Node,
 * without throwing and without reading `window`, `document`, `Worker`, `location` or `indexedDB`
 * while it loads, and `createAuthClient`, wherever an entry exports it, throws
 * a `config_error` that says it is browser only.
 *
 * The tarballs are unpacked into a scratch `node_modules` as npm would install them; their peer
 * dependencies from outside this repository (react, vue…) are linked from the workspace. Entries
 * are read from each packed manifest's `exports`, so a new package or subpath is covered as it
 * lands; skipped are `./package.json`, an entry with a `worker` condition and no other to import
 * it by, and a file the manifest's `sideEffects` lists: a script run for its effects (the worker
 * script `./worker.js`), not a module to import.
 *
 * Usage: `node scripts/check-server-imports.js a.tgz b.tgz…` (scripts/check-packages.js runs it).
 */
import { spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

const repo = resolve(import.meta.dirname, '..')

/** The DOM globals nothing may read at import time. */
// Not `navigator`: oauth4webapi, in the `./worker` entry, reads `typeof navigator` for its User-Agent
// header, which is safe on a server.
const BROWSER_GLOBALS = ['window', 'document', 'Worker', 'location', 'indexedDB']

/** Conditions a server resolves an entry by (Node's, plus the ones frameworks add). */
const SERVER_CONDITIONS = ['import', 'node', 'default']

/**
 * The entries of a packed manifest a server may import, as bare specifiers.
 *
 * @param {{ name: string, exports?: Record<string, unknown>, sideEffects?: boolean | string[] }} manifest
 */
export function serverEntries(manifest) {
  const scripts = new Set(
    (Array.isArray(manifest.sideEffects) ? manifest.sideEffects : []).map((f) => f.replace(/^\.\//, '')),
  )
  /** @type {(value: unknown) => string[]} */
  const targets = (value) =>
    typeof value === 'string'
      ? [value]
      : typeof value === 'object' && value
        ? Object.entries(value).flatMap(([condition, target]) => (condition === 'types' ? [] : targets(target)))
        : []
  return Object.entries(manifest.exports ?? {}).flatMap(([subpath, target]) => {
    if (subpath === './package.json') return []
    const conditions = typeof target === 'object' && target ? Object.keys(target) : ['default']
    if (conditions.includes('worker') && !conditions.some((c) => SERVER_CONDITIONS.includes(c))) return []
    if (targets(target).some((file) => scripts.has(file.replace(/^\.\//, '')))) return []
    return [subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`]
  })
}

/** Runs in the child: traps the browser globals, imports every entry, then calls createAuthClient. */
const PROBE = `
const [globals, entries, frameworks] = JSON.parse(process.argv[1])
// The frameworks' own modules first, untrapped: they probe the DOM at import (\`typeof document\`),
// which is theirs to do; what is checked is what the SDK's entries read.
for (const framework of frameworks) await import(framework).catch(() => {})
const touched = []
for (const name of globals) {
  Object.defineProperty(globalThis, name, { configurable: true, get() { touched.push(name) } })
}
const problems = []
const modules = []
for (const entry of entries) {
  touched.length = 0
  try {
    modules.push(await import(entry))
  } catch (error) {
    problems.push(entry + ': importing it threw ' + (error?.stack ?? error))
    continue
  }
  if (touched.length > 0) problems.push(entry + ': importing it read ' + [...new Set(touched)].join(', '))
}
const factories = modules.filter((m) => typeof m.createAuthClient === 'function')
for (const { createAuthClient } of factories) {
  try {
    createAuthClient({ issuer: 'https://id.example.com', clientId: 'spa', redirectUri: '/' })
    problems.push('createAuthClient did not throw on the server')
  } catch (error) {
    if (error?.name !== 'AuthError' || error.code !== 'config_error' || !/browser only/.test(error.message)) {
      problems.push('createAuthClient threw, but not a browser-only config_error: ' + error)
    }
  }
}
if (factories.length === 0) problems.push('no entry exports createAuthClient')
for (const entry of entries) console.log('imported ' + entry)
for (const problem of problems) console.error(problem)
process.exit(problems.length > 0 ? 1 : 0)
`

/** The workspace's packages by name, with their folders. */
function workspacePackages() {
  return new Map(
    readdirSync(join(repo, 'packages')).map((dir) => {
      const { name } = JSON.parse(readFileSync(join(repo, 'packages', dir, 'package.json'), 'utf8'))
      return [name, join(repo, 'packages', dir)]
    }),
  )
}

if (import.meta.main ?? process.argv[1] === import.meta.filename) {
  const tarballs = process.argv.slice(2).map((file) => resolve(file))
  const scratch = mkdtempSync(join(tmpdir(), 'oauth-enclave-server-imports-'))
  try {
    const modules = join(scratch, 'node_modules')
    const workspace = workspacePackages()
    /** @type {string[]} */
    const entries = []
    /** @type {Map<string, string>} peer name → the workspace folder it is linked from */
    const peers = new Map()
    for (const tarball of tarballs) {
      const listing = spawnSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })
      if (listing.status !== 0) throw new Error(`${tarball}: no package/package.json`)
      const manifest = JSON.parse(listing.stdout)
      const dir = join(modules, manifest.name)
      mkdirSync(dir, { recursive: true })
      const unpacked = spawnSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1'])
      if (unpacked.status !== 0) throw new Error(`${tarball}: tar failed`)
      entries.push(...serverEntries(manifest))
      for (const peer of Object.keys(manifest.peerDependencies ?? {})) {
        if (!workspace.has(peer)) peers.set(peer, workspace.get(manifest.name) ?? repo)
      }
    }
    for (const [peer, from] of peers) {
      const source = join(from, 'node_modules', peer)
      if (!existsSync(source)) throw new Error(`peer dependency ${peer} is not installed in ${from}`)
      mkdirSync(dirname(join(modules, peer)), { recursive: true })
      symlinkSync(source, join(modules, peer), 'dir')
    }
    // Angular's partially compiled packages need its JIT compiler loaded first, as an app's server does.
    const frameworks = [...(peers.has('@angular/core') ? ['@angular/compiler'] : []), ...peers.keys()]
    if (peers.has('@angular/core')) {
      const compiler = join(peers.get('@angular/core') ?? repo, 'node_modules', '@angular/compiler')
      if (existsSync(compiler)) symlinkSync(compiler, join(modules, '@angular/compiler'), 'dir')
    }
    writeFileSync(join(scratch, 'package.json'), '{ "name": "server-imports", "private": true, "type": "module" }\n')
    const result = spawnSync(
      process.execPath,
      ['--input-type=module', '--eval', PROBE, JSON.stringify([BROWSER_GLOBALS, entries, frameworks])],
      { cwd: scratch, stdio: 'inherit' },
    )
    process.exitCode = result.status ?? 1
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}
