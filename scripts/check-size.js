// @ts-check
/**
 * The size budgets (docs/performance.md), measured the way an app gets the SDK: the packed tarball is installed
 * into a scratch app whose entry is the usage the peers were measured with (`ENTRY`), and Vite builds that app
 * for production. Min+gzip (zlib level 9, each file on its own) of
 *
 * - the main entry: the app's entry chunk and every chunk it imports statically, i.e. everything
 *   the page loads up front;
 * - the worker: the worker file(s) Vite emitted from the SDK's `new Worker(new URL(...))`.
 *
 * and, for information, the file the page loads only when it needs it (`dist/on-demand.js`): the
 * redirect callback, the popup login, the idle timeout's activity watch and the worker-start diagnosis.
 *
 * Prints both figures with their budgets; exits non-zero when either is over.
 *
 * Then a second app imports only `AuthError` and `isAuthError` from `@oauth-enclave/client/errors`,
 * and a third the same from the main entry `@oauth-enclave/client`: each build must emit no worker,
 * no worker-start diagnosis and no worker client (tree-shaking, through the subpath and through
 * `sideEffects` on the main entry), and the tarball's `dist/index.js` must take its `AuthError` from `./errors.js`, so that
 * `instanceof` holds across both imports.
 *
 * Usage: `node scripts/check-size.js [path/to/oauth-enclave-client-x.y.z.tgz]`. Without a tarball it
 * packs `packages/client` as it stands (scripts/pack-packages.js; build it first:
 * `pnpm --filter @oauth-enclave/client build`).
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'vite'
import { packPackages } from './pack-packages.js'

/** 1 KB = 1024 bytes. */
const KB = 1024
/**
 * The worker's budget was 16 KB until the checks that keep a hostile page from making tokens usable
 * elsewhere (vault keys, service workers, lock bounds, pinned configuration): they cost 311 bytes
 * over the 16,381 the worker weighed before them, which no trimming elsewhere could pay for without
 * dropping a feature. Then 18.5 KB: per-API tokens, step-up checks and pushed authorization requests
 * brought it to 18,396. Moving login, callback and logout into a chunk the worker loads on first use
 * was built and measured (16,992 up front at best, oauth4webapi being one module that stays whole
 * up front; no split at all under Vite's default iife worker format; a webpack app using the
 * package's own worker would miss the chunk) and not kept. Then 20 KB: sessions that survive real
 * life (issue 15) brought it from 18,396 to 20,023: the popup login and prompt=none +339, clock skew
 * +368, the offline backoff +333, the idle timeout +663; the same three reasons rule out a lazy
 * worker chunk. docs/performance.md has the figures. The page's is 4 KB. It was 4.1 KB from server
 * rendering (issue 16: the browser-only guard of `createAuthClient` and an absolute worker URL for
 * the Trusted Types policy under Turbopack, 4,086 → 4,112 bytes) until the usage measured became the
 * peers' (issue 17: a login, the callback and logout besides the client and a call, AuthError
 * imported; 4,271 bytes): the page's end of comlink's protocol, written for the API's calls
 * (`client/comlink-client.ts`) instead of comlink's module, which kept `expose` and all of its
 * protocol up front, brought it to 2,968.
 */
const BUDGETS = { main: 4 * KB, worker: 20 * KB }

/**
 * The usage measured, the same for every SDK compared (docs/performance.md): a client, a redirect
 * login, the callback on its page, one API call and logout, with the SDK's error class and guard.
 */
const ENTRY = `import { AuthError, createAuthClient, isAuthError } from '@oauth-enclave/client'

const auth = createAuthClient({
  issuer: 'https://id.example.com',
  clientId: 'spa',
  redirectUri: location.origin + '/callback',
  allowedOrigins: ['https://api.example.com'],
})

async function main() {
  try {
    if (location.pathname === '/callback') await auth.handleRedirectCallback()
    console.log(await (await auth.fetch('https://api.example.com/x')).json())
  } catch (error) {
    if (isAuthError(error, 'login_required')) await auth.login()
    else if (error instanceof AuthError) console.error(error.code, error.message)
    else throw error
  }
}

document.getElementById('logout')?.addEventListener('click', () => auth.logout())
main()
`

/** An app that only handles the SDK's errors: it gets them from the errors subpath. */
const ERRORS_ENTRY = `import { AuthError, isAuthError } from '@oauth-enclave/client/errors'

const error = new AuthError('config_error', 'x')
console.log(isAuthError(error, 'config_error'))
`

/** The same app, with the errors from the main entry: tree-shaking must drop the client there too. */
const MAIN_ERRORS_ENTRY = ERRORS_ENTRY.replace("'@oauth-enclave/client/errors'", "'@oauth-enclave/client'")

/** What the page's worker client (`client/comlink-client.ts`) holds however it is minified: its message type. */
const CLIENT_MARK = /\bAPPLY\b/

/**
 * A production Vite build of the app in `app` whose entry is `entry`, in memory.
 *
 * @param {string} app
 * @param {string} entry
 */
async function buildApp(app, entry) {
  const result = await build({
    root: app,
    configFile: false,
    logLevel: 'silent',
    build: { write: false, rolldownOptions: { input: join(app, entry) } },
  })
  return (Array.isArray(result) ? result : [result]).flatMap((output) => ('output' in output ? output.output : []))
}

/** @param {string} command @param {string[]} args */
function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`)
}

/** @param {string | Uint8Array} source */
const gzipSize = (source) => gzipSync(source, { level: 9 }).length

/** @param {number} bytes */
const kb = (bytes) => `${(bytes / KB).toFixed(1)} KB`

const scratch = mkdtempSync(join(tmpdir(), 'oauth-enclave-size-'))
try {
  let tarball = process.argv[2] ? resolve(process.argv[2]) : undefined
  if (!tarball) {
    const packs = await packPackages({
      destination: join(scratch, 'packs'),
      filter: '@oauth-enclave/client',
      build: 'never',
    })
    tarball = packs[0] ?? ''
  }
  // Installed as npm would: the tarball's `package/` folder becomes the package's folder.
  const app = join(scratch, 'app')
  const installed = join(app, 'node_modules', '@oauth-enclave', 'client')
  mkdirSync(installed, { recursive: true })
  run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'])
  writeFileSync(join(app, 'package.json'), '{ "name": "size-check", "private": true, "type": "module" }\n')
  writeFileSync(join(app, 'main.js'), ENTRY)
  writeFileSync(join(app, 'errors-only.js'), ERRORS_ENTRY)

  const outputs = await buildApp(app, 'main.js')
  const chunks = new Map(outputs.flatMap((output) => (output.type === 'chunk' ? [[output.fileName, output]] : [])))

  // The entry chunk and, transitively, every chunk it imports statically.
  const upFront = new Set(outputs.flatMap((output) => (output.type === 'chunk' && output.isEntry ? [output] : [])))
  for (const chunk of upFront) {
    for (const name of chunk.imports) {
      const imported = chunks.get(name)
      if (imported) upFront.add(imported)
    }
  }
  // Vite bundles a worker in a build of its own and emits the result as an asset. The code loaded on
  // demand (the start-failure diagnosis, the popup login, the redirect callback, the activity watch)
  // is an asset too (the SDK loads it with `import(new URL(...))`), fetched only on failure, for a
  // popup, on the callback page, or with `idleTimeoutSeconds`.
  const scripts = outputs.filter((output) => output.type === 'asset' && output.fileName.endsWith('.js'))
  const isDiagnosis = (/** @type {{ fileName: string }} */ asset) => /on-demand/.test(asset.fileName)
  const workers = scripts.filter((asset) => !isDiagnosis(asset))
  const diagnosis = scripts.filter(isDiagnosis)
  if (upFront.size === 0 || workers.length === 0) throw new Error('the build emitted no entry chunk or no worker')
  if (diagnosis.length !== 1) throw new Error('the build emitted no on-demand chunk (dist/on-demand.js)')

  // SIZE_DUMP=dir writes the up-front chunks there, to see what the bytes are.
  if (process.env.SIZE_DUMP)
    for (const chunk of upFront)
      writeFileSync(join(process.env.SIZE_DUMP, chunk.fileName.replaceAll('/', '_')), chunk.code)
  const figures = {
    main: [...upFront].reduce((sum, chunk) => sum + gzipSize(chunk.code), 0),
    worker: workers.reduce((sum, asset) => sum + (asset.type === 'asset' ? gzipSize(asset.source) : 0), 0),
  }
  const over = /** @type {(keyof typeof BUDGETS)[]} */ (['main', 'worker']).filter(
    (name) => figures[name] > BUDGETS[name],
  )
  for (const [name, label] of /** @type {const} */ ([
    ['main', 'main entry'],
    ['worker', 'worker    '],
  ])) {
    const [size, budget] = [figures[name], BUDGETS[name]]
    const verdict = size > budget ? `OVER by ${size - budget} B` : 'ok'
    console.log(`${label} ${kb(size)} min+gzip (${size} B), budget ${kb(budget)} (${budget} B): ${verdict}`)
  }
  const lazySize = (/** @type {typeof scripts} */ assets) =>
    assets.reduce((sum, asset) => sum + (asset.type === 'asset' ? gzipSize(asset.source) : 0), 0)
  const onFailure = lazySize(diagnosis)
  console.log(
    `on demand ${kb(onFailure)} min+gzip (${onFailure} B): the callback, the popup login, the activity watch and the start diagnosis, never up front`,
  )
  if (over.length > 0) {
    console.error(`size: over budget: ${over.join(', ')}`)
    process.exitCode = 1
  }

  writeFileSync(join(app, 'main-errors-only.js'), MAIN_ERRORS_ENTRY)
  for (const [entry, from] of /** @type {const} */ ([
    ['errors-only.js', '@oauth-enclave/client/errors'],
    ['main-errors-only.js', '@oauth-enclave/client'],
  ])) {
    const errorsOnly = await buildApp(app, entry)
    const code = errorsOnly.map((output) => (output.type === 'chunk' ? output.code : '')).join('\n')
    // Vite emits a `new URL(…, import.meta.url)` file when it transforms the module, before
    // tree-shaking drops the code: from the main entry, the on-demand file is written but nothing
    // refers to it, so no page loads it. The worker, emitted only where referred to, is not written.
    const unreferenced = (/** @type {{ fileName: string }} */ asset) =>
      entry === 'main-errors-only.js' &&
      /on-demand/.test(asset.fileName) &&
      !code.includes(asset.fileName.split('/').pop() ?? '')
    const emitted = errorsOnly.filter(
      (output) => output.type === 'asset' && output.fileName.endsWith('.js') && !unreferenced(output),
    )
    const errorsProblems = [
      ...emitted.map((asset) => `it emitted ${asset.fileName}`),
      ...(CLIENT_MARK.test(code) ? ["its code holds the worker's client"] : []),
      ...(/new Worker\b/.test(code) ? ['its code starts a worker'] : []),
      ...(/from\s*"\.\/errors\.js"/.test(readFileSync(join(installed, 'dist/index.js'), 'utf8'))
        ? []
        : ['dist/index.js does not import AuthError from ./errors.js (two AuthError classes)']),
    ]
    const errorsSize = errorsOnly.reduce(
      (sum, output) => sum + (output.type === 'chunk' ? gzipSize(output.code) : 0),
      0,
    )
    if (errorsProblems.length > 0) {
      console.error(
        `errors only: an app importing only AuthError and isAuthError from ${from}: ${errorsProblems.join('; ')}`,
      )
      process.exitCode = 1
    } else {
      console.log(`errors only ${kb(errorsSize)} min+gzip (${errorsSize} B) from ${from}: no worker, no worker client`)
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
