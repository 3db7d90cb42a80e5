import type { Page } from '@playwright/test'
import { login } from '../support/spa-session.js'
import { expect, test } from '../support/test'
import { prepareConsumerApps, startConsumerServers, type Handle } from './consumer-apps'
import { origins } from './settings.js'

/**
 * The SDK as users get it: installed from its packed tarball into apps outside the workspace, built
 * by their own bundlers, served under a strict CSP, then a real login and an `auth.fetch` against
 * the demo provider and API. The worker must be the bundler's own file (or the app's), never a
 * `blob:` URL.
 */
let servers: Handle | undefined

test.beforeAll(async () => {
  // Packing, a first npm install (about 30 s on a cold cache) and two production builds.
  test.setTimeout(240_000)
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
    if ([origins.viteBuild, origins.viteDev, origins.angular].includes(scenario.origin)) {
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
