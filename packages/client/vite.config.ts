import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { defineConfig, type Plugin, type UserConfig } from 'vite'

/**
 * The library build, in two passes into `dist/`:
 *
 * - `vite build`: `index.js`, the page side, with no third-party code: it speaks comlink's wire
 *   protocol to its worker itself (`client/comlink-client.ts`), as the worker does. Also `errors.js`, the
 *   `@oauth-enclave/client/errors` entry, which `index.js` imports: one `AuthError` class for both,
 *   and nothing of the client in it.
 * - `vite build --mode worker`: `worker.js`, the worker and everything it imports in one
 *   self-contained file, so it runs as-is wherever it is served (the `worker` option, strict CSP).
 * - `vite build --mode serve`: `serve-auth-worker.js`, the `@oauth-enclave/client/worker` entry for
 *   an app's own worker file (pinned mode), with its dependencies bundled like the page side's.
 *
 * `index.js` refers to the worker as `new Worker(new URL('./worker.js', import.meta.url), { type:
 * 'module' })`, literally: bundlers detect a worker in that form only, so the app's bundler then
 * emits the worker itself. Vite bundles it as a worker; webpack 5 emits it as an asset through the `new URL(...)`.
 * Each build that bundles third-party code writes its licences next to its output.
 */
export default defineConfig(({ mode }) => (mode === 'worker' ? workerBuild : mode === 'serve' ? serveBuild : pageBuild))

const shared: UserConfig = {
  root: import.meta.dirname,
  // Relative asset URLs: an origin-absolute `/assets/...` would break in every consumer.
  base: './',
  publicDir: false,
  logLevel: 'warn',
}

const pageBuild: UserConfig = {
  ...shared,
  plugins: [literalWorkerUrl(), bundledLicenses('index.js.LICENSE.txt')],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Readable for the app's debugger; the app's bundler minifies.
    minify: false,
    lib: {
      entry: { index: 'src/index.ts', errors: 'src/errors.ts' },
      formats: ['es'],
      fileName: (_, name) => `${name}.js`,
    },
    // No hash: the lazily loaded chunk keeps one name across versions, like `worker.js`.
    rolldownOptions: {
      // Lets `errors.js` hold the error module itself, which `index.js` then imports, instead of
      // both importing a third chunk.
      preserveEntrySignatures: 'allow-extension',
      output: { chunkFileNames: '[name].js' },
    },
  },
}

const workerBuild: UserConfig = {
  ...shared,
  plugins: [bundledLicenses('worker.js.LICENSE.txt'), workerScriptDeclaration()],
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    // An application build, not a library one: the worker is an entry nobody imports, and it may
    // be served as-is under the `worker` option, so it is minified whole.
    minify: true,
    rolldownOptions: {
      input: 'src/worker/worker.ts',
      output: { format: 'es', entryFileNames: 'worker.js' },
    },
  },
}

const serveBuild: UserConfig = {
  ...shared,
  plugins: [bundledLicenses('serve-auth-worker.js.LICENSE.txt')],
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    minify: false,
    lib: { entry: 'src/worker/serve-auth-worker.ts', formats: ['es'], fileName: 'serve-auth-worker' },
  },
}

/** The worker as the sources name it, and as `dist/index.js` must name it. */
const WORKER_SOURCE = /new URL\('\.\.\/worker\/worker\.ts', import\.meta\.url\)/g
const PLACEHOLDER = '__OAUTH_ENCLAVE_WORKER_URL__'
const WORKER_LITERAL = /new Worker\(\s*new URL\(\s*"\.\/worker\.js",\s*import\.meta\.url\s*\),\s*\{\s*type: "module"/g

/**
 * The lazily loaded chunk (`on-demand.ts`: the worker-start diagnosis, the popup login) as `import()` of a literal names it, and as
 * `dist/index.js` names it: through `new URL(…, import.meta.url)`, which Vite and webpack 5 emit as
 * a file, in an `import()` they leave alone (Parcel 2 needs a `.parcelrc` that copies it as it is,
 * or it rebuilds it into a bundle that exports nothing; Rollup and esbuild need it copied:
 * e2e/consumers). A literal `import()` would make a
 * Vite app add its module-preload helper to the page, over 600 bytes min+gzip, for a chunk loaded
 * only on failure.
 */
const LAZY_IMPORT = /import\("(\.\/on-demand\.js)"\)/g
const LAZY_AS_URL = 'import(/* @vite-ignore */ /* webpackIgnore: true */ new URL("$1?no-inline", import.meta.url))'

/**
 * Keeps Vite from bundling the worker into the page build: the worker's URL is swapped for a bare
 * identifier that no Vite plugin looks at, then put back as `'./worker.js'` in the output, which
 * fails the build unless it holds the literal form exactly once.
 */
function literalWorkerUrl(): Plugin {
  return {
    name: 'oauth-enclave:literal-worker-url',
    enforce: 'pre',
    transform(code, id) {
      if (!id.endsWith('/src/client/default-worker.ts')) return null
      const count = code.match(WORKER_SOURCE)?.length ?? 0
      if (count !== 1) this.error(`expected one new URL('../worker/worker.ts', import.meta.url), found ${count}`)
      return { code: code.replace(WORKER_SOURCE, `new URL(${PLACEHOLDER}, import.meta.url)`), map: null }
    },
    renderChunk(code, chunk) {
      if (chunk.name !== 'index') {
        // The lazy chunks are fetched as files of their own (below), and the errors entry must not pull
        // the client into an app that imports only it: neither may import anything.
        if (chunk.imports.length > 0 || chunk.dynamicImports.length > 0) {
          this.error(
            `${chunk.fileName} must import nothing; it imports ${[...chunk.imports, ...chunk.dynamicImports].join(', ')}`,
          )
        }
        return null
      }
      const out = code.replaceAll(PLACEHOLDER, '"./worker.js"').replaceAll(LAZY_IMPORT, LAZY_AS_URL)
      if (out.match(WORKER_LITERAL)?.length !== 1) {
        this.error(
          "dist/index.js must hold new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }) once",
        )
      }
      return { code: out, map: null }
    },
  }
}

/**
 * `dist/worker.d.ts`, the types of the `./worker.js` subpath: the worker script exports nothing, but
 * a subpath without types is an error to TypeScript and Are the Types Wrong alike, for an app that
 * names it (`import url from '@oauth-enclave/client/worker.js?url'`).
 */
function workerScriptDeclaration(): Plugin {
  return {
    name: 'oauth-enclave:worker-script-declaration',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'worker.d.ts',
        source: [
          '/**',
          " * `@oauth-enclave/client/worker.js`: the SDK's worker, one self-contained script, for an app that",
          ' * serves it itself and passes its URL as the `worker` option. A script a Worker runs, not a module',
          ' * to import: it exports nothing.',
          ' */',
          'export {}',
          '',
        ].join('\n'),
      })
    },
  }
}

/** The last `node_modules/<name>` (or `node_modules/@scope/<name>`) folder in a module id. */
const PACKAGE_DIR = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/.][^/]*)\//

/**
 * Writes `fileName` with the name, version, licence and licence text of every package whose code
 * the bundle contains: bundling them is redistributing them.
 */
function bundledLicenses(fileName: string): Plugin {
  return {
    name: 'oauth-enclave:bundled-licenses',
    generateBundle(_options, bundle) {
      const dirs = new Set<string>()
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue
        for (const id of output.moduleIds) {
          const dir = PACKAGE_DIR.exec(id)?.[1]
          if (dir) dirs.add(dir)
        }
      }
      const notices = [...dirs].sort().map((dir) => {
        const { name, version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<
          string,
          string
        >
        const file = readdirSync(dir).find((entry) => /^licen[cs]e/i.test(entry))
        if (!file) this.error(`${name} has no licence file to ship`)
        return `${name}@${version} (${license})\n\n${readFileSync(join(dir, file), 'utf8').trim()}\n`
      })
      // No third-party code (the page side, `index.js`, since it speaks comlink's protocol itself): no file.
      if (notices.length === 0) return
      this.emitFile({
        type: 'asset',
        fileName,
        source: `This file bundles code from these packages:\n\n${notices.join('\n---\n\n')}`,
      })
    },
  }
}
