import type { Page } from '@playwright/test'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { login } from '../support/spa-session.js'
import { expect, test } from '../support/test'
import {
  parcelContentSecurityPolicy,
  prepareConsumerApps,
  publicEntries,
  startConsumerServers,
  typeCheckConsumer,
  workDir,
  type Handle,
} from './consumer-apps'
import { origins } from './settings.js'

/**
 * The SDK as users get it: installed from its packed tarball into apps outside the workspace, built
 * by their own bundlers, served under a strict CSP, then a real login and an `auth.fetch` against
 * the demo provider and API. The worker must be the bundler's own file (or the app's), never a
 * `blob:` URL.
 */
let servers: Handle | undefined

test.beforeAll(async () => {
  // Packing, a first npm install (about a minute on a cold cache) and the production builds.
  test.setTimeout(360_000)
  await prepareConsumerApps()
  servers = await startConsumerServers()
})

test.afterAll(async () => {
  await servers?.close()
})

async function loginAndCallApi(page: Page, origin: string): Promise<void> {
  await login(page, 'alice', origin)
  await expect(page.getByTestId('error')).toBeHidden()

  await page.getByRole('button', { name: 'Call the API' }).click()
  await expect(page.getByTestId('api-result')).toContainText('200')
  const body = JSON.parse((await page.getByTestId('api-result').textContent())!.split('\n').slice(1).join('\n'))
  expect(body).toMatchObject({ sub: 'alice', tokenType: 'DPoP' })
}

/** Every worker the page starts, by URL. */
function recordWorkers(page: Page): string[] {
  const urls: string[] = []
  page.on('worker', (worker) => urls.push(worker.url()))
  return urls
}

const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

const scenarios: { name: string; origin: string; worker: (origin: string) => RegExp; quiet?: boolean }[] = [
  {
    name: 'a Vite + React app, production build (vite build)',
    origin: origins.viteBuild,
    worker: (origin) => new RegExp(`^${literally(origin)}/assets/worker-[\\w-]+\\.js$`),
  },
  {
    name: "a Vite + React app under Vite's dev server, the SDK pre-bundled (vite#8427)",
    origin: origins.viteDev,
    worker: (origin) => new RegExp(`^${literally(origin)}/.*@oauth-enclave/client/dist/worker\\.js(\\?.*)?$`),
  },
  {
    name: "a Vite + Vue 3 app under Vite's dev server, @oauth-enclave/vue and the SDK pre-bundled",
    origin: origins.vueDev,
    worker: (origin) => new RegExp(`^${literally(origin)}/.*@oauth-enclave/client/dist/worker\\.js(\\?.*)?$`),
  },
  {
    name: "a Vite + Svelte 5 app under Vite's dev server, @oauth-enclave/svelte and the SDK pre-bundled",
    origin: origins.svelteDev,
    worker: (origin) => new RegExp(`^${literally(origin)}/.*@oauth-enclave/client/dist/worker\\.js(\\?.*)?$`),
  },
  {
    name: 'a webpack 5 app, production build, in pinned mode (serveAuthWorker in its own worker file)',
    origin: origins.webpack,
    // The app's worker file, bundled by webpack as a worker chunk named after the worker's `name`.
    worker: (origin) => new RegExp(`^${literally(origin)}/[\\w-]+\\.js$`),
  },
  {
    name: 'the worker option: the app serves the package’s worker.js itself, under a strict CSP',
    origin: origins.selfServedWorker,
    worker: (origin) => new RegExp(`^${literally(origin)}/oauth-enclave-worker\\.js$`),
  },
  {
    name: 'a Vite + Vue 3 app with @oauth-enclave/vue, production build',
    origin: origins.vueBuild,
    worker: (origin) => new RegExp(`^${literally(origin)}/assets/worker-[\\w-]+\\.js$`),
  },
  {
    name: 'a Vite + Svelte 5 app with @oauth-enclave/svelte, production build',
    origin: origins.svelteBuild,
    worker: (origin) => new RegExp(`^${literally(origin)}/assets/worker-[\\w-]+\\.js$`),
  },
  {
    name: 'a Next.js App Router app, prerendered by next build (output: export), the client from a factory',
    origin: origins.next,
    // Turbopack emits the package's worker.js as an asset, from its `new URL(...)`.
    worker: (origin) => new RegExp(`^${literally(origin)}/_next/static/media/worker\\.[\\w-]+\\.js$`),
  },
  {
    name: 'an Angular CLI app (ng build, esbuild), the worker copied by an angular.json assets entry, HttpClient through authInterceptor',
    origin: origins.angular,
    worker: (origin) => new RegExp(`^${literally(origin)}/worker\\.js$`),
    // No console error: not a 404 for the worker or its on-demand chunk, not an Angular error.
    quiet: true,
  },
]

for (const scenario of scenarios) {
  test(`${scenario.name}: login and auth.fetch`, async ({ page, consoleLines }) => {
    const workers = recordWorkers(page)
    const errors: string[] = []
    // The app's own: the provider's login pages are not under test.
    page.on('console', (message) => {
      if (message.type() === 'error' && page.url().startsWith(scenario.origin))
        errors.push(`${message.text()} (${message.location().url})`)
    })
    page.on('pageerror', (error) => void errors.push(String(error)))
    await loginAndCallApi(page, scenario.origin)
    expect(workers.length).toBeGreaterThan(0)
    for (const url of workers) expect(url).toMatch(scenario.worker(scenario.origin))
    expect(consoleLines.filter((line) => /Content Security Policy|Refused to/i.test(line))).toEqual([])
    if (scenario.quiet) expect(errors).toEqual([])
  })
}

/**
 * The start-failure diagnosis ships in a file of its own (`dist/on-demand.js`, loaded with
 * `import(new URL(...))`): each bundler must emit it and the page must load it under the CSP. The
 * worker's URL answers 404 here; the package's own worker is named in the message, a worker of the
 * `worker` option (whose URL the SDK cannot know) is not.
 */
for (const scenario of scenarios) {
  test(`${scenario.name}: a worker that 404s is a worker_error that says why, once`, async ({ page, consoleLines }) => {
    // webpack's pattern covers every script at its root: its worker chunk is the one named after `name`.
    const pattern = scenario.origin === origins.webpack ? /\/oauth-enclave\.js$/ : scenario.worker(scenario.origin)
    await page.route(
      (url) => pattern.test(url.href) && !url.pathname.includes('on-demand'),
      (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }),
    )
    await page.goto(scenario.origin)
    const error = page.getByTestId('error')
    await expect(error).toContainText('worker_error: the worker failed to start: ')
    const text = (await error.textContent())!
    expect(text).toContain('"Bundlers" in the @oauth-enclave/client README')
    // The package's own worker, where the bundler emitted it: the SDK knows its URL.
    const ownWorker = [
      origins.viteBuild,
      origins.viteDev,
      origins.vueDev,
      origins.svelteDev,
      origins.vueBuild,
      origins.svelteBuild,
      origins.next,
      origins.angular,
    ]
    if (ownWorker.includes(scenario.origin)) {
      const named = /failed to start: (\S+): it answers/.exec(text)?.[1] ?? ''
      expect(named).toMatch(pattern)
      expect(text).toContain('answers HTTP 404 (text/plain)')
    } else {
      expect(text).toContain('the worker option')
    }
    const reports = consoleLines.filter((line) => line.startsWith('oauth-enclave: the worker failed to start'))
    expect(reports).toHaveLength(1)
  })
}

/**
 * What the app's pages and workers report as errors: console errors and uncaught exceptions while
 * the page is on `origin` (the provider's login page is not the app's).
 */
function recordErrors(page: Page, origin: string): string[] {
  const errors: string[] = []
  const onApp = () => page.url().startsWith(`${origin}/`)
  page.on('console', (message) => {
    if (message.type() === 'error' && onApp()) errors.push(`${message.text()} (${message.location().url})`)
  })
  page.on('pageerror', (error) => void (onApp() && errors.push(String(error))))
  return errors
}

/**
 * Bundlers that do not emit the worker themselves, and no bundler at all, each with its recipe
 * (README, "Bundlers"): under the same strict CSP (`worker-src 'self'`), the worker must come from
 * the app's own origin, and nothing may reach the console as an error.
 */
const recipes: { name: string; origin: string; worker: RegExp }[] = [
  {
    name: 'a Rollup 4 app, ESM output, worker.js and on-demand.js copied beside the bundle',
    origin: origins.rollup,
    worker: /^\/assets\/worker\.js$/,
  },
  {
    name: 'an esbuild 0.28 app, ESM output, the same copy step',
    origin: origins.esbuildEsm,
    worker: /^\/assets\/worker\.js$/,
  },
  {
    name: 'an esbuild 0.28 app, iife output, import.meta.url shimmed and the worker option',
    origin: origins.esbuildIife,
    worker: /^\/oauth-enclave-worker\.js$/,
  },
  {
    name: "a Parcel 2 app, the README's .parcelrc (on-demand.js copied as it is), its import map's hash in the CSP",
    origin: origins.parcel,
    worker: /^\/worker\.[\da-f]+\.js$/,
  },
  {
    name: 'an app with no bundler, the package dist/ served as it is',
    origin: origins.plainEsm,
    worker: /^\/vendor\/oauth-enclave-client\/worker\.js$/,
  },
]

for (const recipe of recipes) {
  test(`${recipe.name}: login and auth.fetch, no console error`, async ({ page }) => {
    const errors = recordErrors(page, recipe.origin)
    const workers = recordWorkers(page)
    await loginAndCallApi(page, recipe.origin)
    expect(workers.length).toBeGreaterThan(0)
    for (const url of workers) {
      expect(new URL(url).origin).toBe(recipe.origin)
      expect(new URL(url).pathname).toMatch(recipe.worker)
    }
    expect(errors).toEqual([])
  })
}

test("Parcel: without its import map's hash in script-src, the strict CSP stops the app before it starts", async ({
  page,
}) => {
  const errors = recordErrors(page, origins.parcel)
  await page.route(`${origins.parcel}/`, async (route) => {
    const response = await route.fetch()
    const strict = parcelContentSecurityPolicy().replace(/ 'sha256-[^']+'/, '')
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': strict } })
  })
  await page.goto(`${origins.parcel}/`)
  // Chromium's words: the import map is refused, then the entry cannot resolve the worker's id.
  await expect
    .poll(() => errors.join('\n'))
    .toMatch(/Executing inline script violates the following Content Security Policy directive 'script-src 'self''/)
  await expect.poll(() => errors.join('\n')).toMatch(/TypeError: Failed to resolve module specifier \w+/)
  await expect(page.getByTestId('status')).toHaveText('Loading…')
})

/** The page that loads the SDK from a CDN (`apps/plain/cdn-main.js`), which the test plays. */
const CDN = 'https://cdn.oauth-enclave.test/@oauth-enclave/client/dist/'

async function serveCdn(page: Page): Promise<void> {
  const dist = join(workDir, 'node_modules/@oauth-enclave/client/dist')
  await page.route(`${CDN}**`, (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      headers: { 'Access-Control-Allow-Origin': '*' },
      body: readFileSync(join(dist, new URL(route.request().url()).pathname.split('/').pop()!)),
    }),
  )
  // The app's CSP lets scripts come from the CDN: `script-src 'self' https://cdn…`.
  await page.route(`${origins.plainEsm}/cdn.html**`, async (route) => {
    const response = await route.fetch()
    const headers = response.headers()
    const csp = headers['content-security-policy']!.replace(
      "script-src 'self'",
      `script-src 'self' ${new URL(CDN).origin}`,
    )
    await route.fulfill({ response, headers: { ...headers, 'content-security-policy': csp } })
  })
}

test('the SDK from a cross-origin CDN: its own worker cannot start, a worker_error that says why', async ({ page }) => {
  await serveCdn(page)
  await page.goto(`${origins.plainEsm}/cdn.html`)
  const error = page.getByTestId('error')
  await expect(error).toContainText('worker_error: the worker failed to start: ')
  await expect(error).toContainText(`${CDN}worker.js: new Worker threw TypeError: it is not on the page's origin`)
  await expect(error).toContainText('copy worker.js to your site and pass it with the worker option')
  // Without the SDK's Trusted Types policy in the way (it accepts the page's origin only), the
  // browser itself refuses (README, "Bundlers").
  const browserSays = await page.evaluate((url) => {
    try {
      new Worker(url, { type: 'module' })
      return 'started'
    } catch (error) {
      return `${(error as Error).name}: ${(error as Error).message}`
    }
  }, `${CDN}worker.js`)
  expect(browserSays).toBe(
    `SecurityError: Failed to construct 'Worker': Script at '${CDN}worker.js' cannot be accessed from origin '${origins.plainEsm}'.`,
  )
})

test('the SDK from a cross-origin CDN with the worker option and a same-origin copy of worker.js: it works', async ({
  page,
}) => {
  const errors = recordErrors(page, origins.plainEsm)
  const workers = recordWorkers(page)
  await serveCdn(page)
  await page.goto(`${origins.plainEsm}/cdn.html?worker=/vendor/oauth-enclave-client/worker.js`)
  await expect(page.getByTestId('status')).toHaveText('Signed out')
  expect(workers).toEqual([`${origins.plainEsm}/vendor/oauth-enclave-client/worker.js`])
  expect(errors).toEqual([])
})

/** The script files of a build, relative to its folder. */
function scripts(dist: string): string[] {
  return readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'))
}

const workerFiles = (dist: string) => scripts(dist).filter((file) => /(^|\/)worker\b/.test(file))

test('only the errors, from /errors or from the main entry: a Vite build emits no worker file', () => {
  const dist = join(workDir, 'shake/dist-vite')
  const entries = scripts(dist).filter((file) => /(errors-subpath|main-entry)-/.test(file))
  expect(entries).toHaveLength(2)
  expect(workerFiles(dist)).toEqual([])
  for (const file of entries) expect(readFileSync(join(dist, file), 'utf8')).not.toMatch(/new Worker\b|comlink/i)
})

test('only the errors under Parcel 2 defaults: none from /errors; the main entry still gets the worker file', () => {
  const subpath = join(workDir, 'shake/dist-parcel-errors-subpath')
  expect(scripts(subpath)).toEqual(['errors-subpath.js'])
  // Parcel bundles each `new URL(…, import.meta.url)` of a module it includes before it drops the
  // unused code, and the main entry holds the worker's: the file is emitted, though never loaded.
  // README, "Bundlers": import the errors from /errors.
  expect(workerFiles(join(workDir, 'shake/dist-parcel-main-entry'))).toHaveLength(1)
})

test('a TypeScript app type-checks every public entry, moduleResolution bundler and node16, skipLibCheck false', async () => {
  test.setTimeout(180_000)
  // Both at once: each is a compiler of its own, mostly waiting on the other core's builds.
  const results = await Promise.allSettled([typeCheckConsumer('bundler'), typeCheckConsumer('node16')])
  expect(results.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []))).toEqual([])
})

test('the TypeScript app imports every public entry of every packed package', () => {
  const listed = readFileSync(join(import.meta.dirname, 'apps/typescript/entries.mts'), 'utf8')
  const missing = publicEntries().filter((entry) => !listed.includes(`from '${entry}'`))
  // Add each as `export * as name from '<entry>'` to e2e/consumers/apps/typescript/entries.mts.
  expect(missing).toEqual([])
})
