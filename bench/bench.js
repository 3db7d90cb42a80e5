// @ts-check
/**
 * `pnpm bench`: what isolation costs, measured side by side in one run. Playwright drives Chromium
 * against the demo's API on loopback; every scenario alternates its variants (A B C A B C …) so that
 * drift in the machine's speed hits all of them alike, and reports medians and ratios to the limit:
 * a plain `fetch` with the header set by hand, as a page holding its own token would send it.
 *
 * Not part of the test command: it measures, it does not assert.
 */
import os from 'node:os'
import { fileURLToPath } from 'node:url'

// Ports of its own, so a bench can run beside the tests.
process.env.SPA_PORT ??= '6173'
process.env.PROVIDER_PORT ??= '9500'
process.env.API_PORT ??= '9600'
process.env.OUTSIDER_PORT ??= '9700'

// Imported once the ports are set: the settings read them on import.
const settings = await import('../demo/spa/settings.js')
const { startProvider } = await import('../demo/provider/provider.js')
const { startApi, startOutsider } = await import('../demo/api/api.js')
const { apiSettings, issuedTokens, providerCounters, providerSettings, revokeIssuedAccessTokens } =
  await import('../e2e/support/servers.js')
const { login } = await import('../e2e/support/spa-session.js')
const { build, preview } = await import('vite')
const { chromium } = await import('playwright')
const { CHROMIUM_ARGS, chromiumPath } = await import('../scripts/chromium.js')

/** @typedef {import('./globals').Variant} Variant */
/** @typedef {import('playwright').Page} Page */

/**
 * One table of the report.
 *
 * @typedef {object} Table
 * @property {string} title
 * @property {string[]} columns
 * @property {string[][]} rows
 * @property {string[]} [notes] lines printed under the table
 */

const quick = process.argv.includes('--quick')
const ROUNDS = {
  latency: quick ? 60 : 400,
  concurrent: quick ? 6 : 30,
  download: quick ? 2 : 20,
  upload: quick ? 3 : 15,
  cold: quick ? 4 : 15,
}

/** @param {number[] | undefined} values @param {number} q */
function quantile(values = [], q) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN
}
const median = (/** @type {number[] | undefined} */ values) => quantile(values, 0.5)
const fmt = (/** @type {number} */ n, digits = 2) => n.toFixed(digits)

const out = (/** @type {string} */ line = '') => process.stdout.write(`${line}\n`)

/** Prints `table` as Markdown; an empty cell is printed as `| |`. @param {Table} table */
function printTable({ title, columns, rows, notes = [] }) {
  const line = (/** @type {string[]} */ cells) => `|${cells.map((cell) => (cell ? ` ${cell} ` : ' ')).join('|')}|`
  out(`### ${title}`)
  out()
  out(line(columns))
  out(`|${columns.map(() => '---').join('|')}|`)
  for (const row of rows) out(line(row))
  for (const note of notes) out(`\n${note}`)
  out()
}

/** Each variant's label in the tables, the limit first. */
const LABELS = /** @type {const} */ ({
  plain: 'plain fetch (the limit)',
  bearer: 'auth.fetch, Bearer',
  dpop: 'auth.fetch, DPoP',
})

// ── sessions: DPoP (the demo's client, IndexedDB) and Bearer (a memory client) ─────────────────
/**
 * Logs the demo's own client in (DPoP, IndexedDB), then a Bearer client with `persistence: 'memory'`
 * on the demo's second redirect URI, kept on `window.bearer`. Returns the Bearer client's access
 * token, for the plain variant to send by hand.
 *
 * @param {Page} page
 */
async function startSessions(page) {
  await login(page, 'bench')

  const bearerOptions = {
    issuer: settings.issuer,
    clientId: settings.clientId,
    redirectUri: settings.altRedirectUri,
    scope: settings.scope,
    allowedOrigins: [`${settings.apiOrigin}/api/`],
    dpop: false,
    persistence: /** @type {const} */ ('memory'),
  }
  await page.evaluate((options) => window.createAuthClient(options).login(), bearerOptions)
  await page.waitForURL(/\/callback-alt\?/)
  await page.evaluate(async (options) => {
    window.bearer = window.createAuthClient(options)
    await window.bearer.handleRedirectCallback()
  }, bearerOptions)
  const bearerToken = /** @type {string} */ ((await issuedTokens()).access.at(-1))
  const check = await page.evaluate(
    async ({ api, token }) => {
      const url = `${api}/api/me`
      const plain = await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).json()
      const bearer = await (await window.bearer.fetch(url)).json()
      const dpop = await (await window.auth.fetch(url)).json()
      return [plain.tokenType, bearer.tokenType, dpop.tokenType]
    },
    { api: settings.apiOrigin, token: bearerToken },
  )
  if (check.join() !== 'Bearer,Bearer,DPoP') throw new Error(`unexpected token types: ${check}`)
  return bearerToken
}

/**
 * The three variants and the alternation, installed once in the page for every scenario below
 * (`window.benchSend`, `window.benchAlternate`).
 *
 * @param {Page} page
 * @param {string} bearerToken
 */
async function installVariants(page, bearerToken) {
  await page.evaluate((token) => {
    /** @type {Window['benchSend']} */
    const send = {
      plain: (url, init = {}) =>
        fetch(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } }),
      bearer: (url, init) => window.bearer.fetch(url, init),
      dpop: (url, init) => window.auth.fetch(url, init),
    }
    /** @type {Window['benchAlternate']} */
    async function alternate(warmup, rounds, measure) {
      const names = /** @type {Variant[]} */ (Object.keys(send))
      /** @type {Record<Variant, Awaited<ReturnType<typeof measure>>[]>} */
      const kept = { plain: [], bearer: [], dpop: [] }
      for (let round = -warmup; round < rounds; round++) {
        for (let i = 0; i < names.length; i++) {
          const name = /** @type {Variant} */ (names[(round + warmup + i) % names.length])
          const result = await measure(name)
          if (round >= 0) kept[name].push(result)
        }
      }
      return kept
    }
    Object.assign(window, { benchSend: send, benchAlternate: alternate })
  }, bearerToken)
}

// ── 1. latency of a 1 KB JSON GET, one at a time ───────────────────────────────────────────────
/** @param {Page} page @returns {Promise<Table>} */
async function latencyScenario(page) {
  const latency = await page.evaluate(
    async ({ api, rounds }) => {
      const url = `${api}/api/data?bytes=1024`
      return window.benchAlternate(30, rounds, async (name) => {
        const started = performance.now()
        await (await window.benchSend[name](url)).json()
        return performance.now() - started
      })
    },
    { api: settings.apiOrigin, rounds: ROUNDS.latency },
  )
  const limitP50 = median(latency.plain)
  /** @type {[Variant, string, string][]} */
  const variants = [
    ['plain', 'plain fetch, header set by hand (the limit)', ''],
    ['bearer', LABELS.bearer, '≤ 1.10×'],
    ['dpop', LABELS.dpop, '≤ 1.5×'],
  ]
  return {
    title: `1 KB JSON GET, one at a time (${ROUNDS.latency} rounds, alternating)`,
    columns: ['variant', 'p50 ms', 'p95 ms', 'p50 ratio to the limit', 'target'],
    rows: variants.map(([name, label, target]) => {
      const values = latency[name]
      return [label, fmt(median(values)), fmt(quantile(values, 0.95)), `${fmt(median(values) / limitP50)}×`, target]
    }),
  }
}

// ── 2. 64 concurrent GETs ─────────────────────────────────────────────────────────────────────
/** @param {Page} page @returns {Promise<Table>} */
async function concurrentScenario(page) {
  const concurrent = await page.evaluate(
    async ({ api, rounds }) => {
      const url = `${api}/api/data?bytes=1024`
      return window.benchAlternate(2, rounds, async (name) => {
        const started = performance.now()
        await Promise.all(Array.from({ length: 64 }, () => window.benchSend[name](url).then((r) => r.arrayBuffer())))
        return 64 / ((performance.now() - started) / 1000)
      })
    },
    { api: settings.apiOrigin, rounds: ROUNDS.concurrent },
  )
  const limitRate = median(concurrent.plain)
  /** @type {[Variant, string][]} */
  const variants = [
    ['plain', ''],
    ['bearer', '≥ 0.90×'],
    ['dpop', ''],
  ]
  return {
    title: `64 concurrent 1 KB GETs (${ROUNDS.concurrent} rounds)`,
    columns: ['variant', 'requests/s (median)', 'ratio to the limit', 'target'],
    rows: variants.map(([name, target]) => [
      LABELS[name],
      fmt(median(concurrent[name]), 0),
      `${fmt(median(concurrent[name]) / limitRate)}×`,
      target,
    ]),
  }
}

// ── 3. a 32 MiB download and a 4 MiB upload ──────────────────────────────────────────────────
/** @param {Page} page @returns {Promise<Table>} */
async function transferScenario(page) {
  const transfer = await page.evaluate(
    async ({ api, downloads, uploads }) => {
      const perf = /** @type {{ memory: { usedJSHeapSize: number } }} */ (/** @type {unknown} */ (performance))
      const size = 32 * 1024 * 1024
      const downloadUrl = `${api}/api/blob?bytes=${size}`
      const uploadUrl = `${api}/api/echo`
      const downloaded = await window.benchAlternate(1, downloads, async (name) => {
        const base = perf.memory.usedJSHeapSize
        let peak = base
        let biggest = 0
        let total = 0
        const started = performance.now()
        const reader = /** @type {ReadableStream<Uint8Array>} */ (
          (await window.benchSend[name](downloadUrl)).body
        ).getReader()
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          total += value.byteLength
          biggest = Math.max(biggest, value.byteLength)
          peak = Math.max(peak, perf.memory.usedJSHeapSize)
        }
        const ms = performance.now() - started
        if (total !== size) throw new Error(`downloaded ${total} bytes`)
        return { ms, heap: peak - base, chunk: biggest }
      })
      let filler = 0
      const up = await window.benchAlternate(1, uploads, async (name) => {
        const body = new Uint8Array(4 * 1024 * 1024).fill(filler++ & 0xff)
        const started = performance.now()
        const echoed = await (await window.benchSend[name](uploadUrl, { method: 'POST', body })).json()
        if (echoed.bodyBytes !== body.byteLength) throw new Error(`uploaded ${echoed.bodyBytes} bytes`)
        return performance.now() - started
      })
      /** @type {Record<string, { ms: number[], heap: number[], chunk: number[] }>} */
      const down = {}
      for (const [name, runs] of Object.entries(downloaded)) {
        down[name] = { ms: runs.map((r) => r.ms), heap: runs.map((r) => r.heap), chunk: runs.map((r) => r.chunk) }
      }
      return { down: /** @type {Record<Variant, (typeof down)[string]>} */ (down), up }
    },
    { api: settings.apiOrigin, downloads: ROUNDS.download, uploads: ROUNDS.upload },
  )
  const limitDown = median(transfer.down.plain.ms)
  const limitUp = median(transfer.up.plain)
  return {
    title: `32 MiB download (${ROUNDS.download} rounds) and 4 MiB upload (${ROUNDS.upload} rounds)`,
    columns: ['variant', 'download ms', 'ratio', 'page heap peak, MiB', 'largest chunk, KiB', 'upload ms', 'ratio'],
    rows: /** @type {Variant[]} */ (['plain', 'bearer', 'dpop']).map((name) => {
      const d = transfer.down[name]
      return [
        LABELS[name],
        fmt(median(d.ms), 0),
        `${fmt(median(d.ms) / limitDown)}×`,
        fmt(Math.max(...d.heap) / 2 ** 20, 1),
        fmt(Math.max(...d.chunk) / 1024, 0),
        fmt(median(transfer.up[name]), 0),
        `${fmt(median(transfer.up[name]) / limitUp)}×`,
      ]
    }),
  }
}

// ── 4. cold start: navigation to the first authenticated response ─────────────────────────────
/**
 * @param {Page} page
 * @param {import('playwright').BrowserContext} context
 * @param {string} bearerToken
 * @returns {Promise<Table>}
 */
async function coldStartScenario(page, context, bearerToken) {
  await context.addInitScript((token) => Object.assign(window, { benchToken: token }), bearerToken)
  const cold = { plain: /** @type {number[]} */ ([]), sdk: /** @type {number[]} */ ([]) }
  for (let round = -1; round < ROUNDS.cold; round++) {
    for (const mode of /** @type {('plain' | 'sdk')[]} */ (round % 2 ? ['plain', 'sdk'] : ['sdk', 'plain'])) {
      // The page reports on the console, and navigation waits for nothing more than the commit:
      // waitForFunction would compile Playwright's injected script on the page's main thread in
      // the middle of the SDK's start-up (measured: a 20–30 ms block, which plain loads escaped).
      const done = page.waitForEvent('console', {
        predicate: (m) => m.text().startsWith('bench-done '),
        timeout: 10_000,
      })
      await page.goto(`/bench.html?${mode}`, { waitUntil: 'commit' })
      const ms = Number((await done).text().slice('bench-done '.length))
      if (round >= 0) cold[mode].push(ms)
      await page.waitForLoadState('load')
    }
  }
  return {
    title: `Cold start: navigation start → first authenticated response (${ROUNDS.cold} loads each)`,
    columns: ['variant', 'median ms', 'over the limit', 'target'],
    rows: [
      ['plain fetch, token in the page (the limit)', fmt(median(cold.plain), 1), '', ''],
      [
        'restored session, worker start, auth.fetch (DPoP)',
        fmt(median(cold.sdk), 1),
        `+${fmt(median(cold.sdk) - median(cold.plain), 1)} ms`,
        '≤ +50 ms',
      ],
    ],
  }
}

// ── 5. a storm: 1,000 concurrent auth.fetch at expiry ─────────────────────────────────────────
/** @param {Page} page @returns {Promise<Table>} */
async function stormScenario(page) {
  await page.goto('/')
  await page.getByTestId('status').filter({ hasText: 'Signed in' }).waitFor()
  // One forced refresh puts the session on a 60 s token, due (half its life, capped leeway) 30 s
  // later: long enough that the storm drains before the next refresh is due.
  await providerSettings({ accessTokenTtl: 60 })
  await apiSettings({ checkRevocation: true })
  await revokeIssuedAccessTokens()
  await page.evaluate((url) => window.auth.fetch(url).then((r) => r.arrayBuffer()), `${settings.apiOrigin}/api/me`)
  await apiSettings({ checkRevocation: false })
  const before = await providerCounters()
  const storm = await page.evaluate(async (api) => {
    const { expiresAt } = await window.auth.getState()
    const due = /** @type {number} */ (expiresAt) - 30_000
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now() + 50)))
    const started = performance.now()
    const statuses = await Promise.all(
      Array.from({ length: 1000 }, () =>
        window.auth.fetch(`${api}/api/data?bytes=64`).then(
          (r) => r.arrayBuffer().then(() => r.status),
          () => 0,
        ),
      ),
    )
    /** @type {Record<string, number>} */
    const counts = {}
    for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1
    return { ms: performance.now() - started, ok: counts[200] ?? 0, counts }
  }, settings.apiOrigin)
  const after = await providerCounters()
  return {
    title: 'Storm: 1,000 concurrent auth.fetch at expiry (DPoP)',
    columns: ['token requests', 'responses 200', 'time to drain, ms'],
    rows: [
      [`${after.token.refresh_token - before.token.refresh_token} (must be 1)`, `${storm.ok} / 1000`, fmt(storm.ms, 0)],
    ],
    notes: storm.ok === 1000 ? [] : [`Statuses: ${JSON.stringify(storm.counts)} (0: rejected)`],
  }
}

// ── servers, browser, report ───────────────────────────────────────────────────────────────────
const provider = await startProvider({
  port: settings.providerPort,
  spaOrigin: settings.spaOrigin,
  apiOrigin: settings.apiOrigin,
  testHooks: true,
  extraRedirectUris: [settings.altRedirectUri],
})
const api = await startApi({ port: settings.apiPort, issuer: settings.issuer, spaOrigin: settings.spaOrigin })
const outsider = await startOutsider({ port: settings.outsiderPort })
const configFile = fileURLToPath(new URL('../demo/spa/vite.config.ts', import.meta.url))
await build({ configFile, logLevel: 'warn' })
const spa = await preview({ configFile, logLevel: 'warn' })

const executablePath = chromiumPath()
const browser = await chromium.launch({
  ...(executablePath && { executablePath }),
  args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'],
})
const context = await browser.newContext({ baseURL: settings.spaOrigin })
const page = await context.newPage()

try {
  const bearerToken = await startSessions(page)

  out(`## oauth-enclave benchmark`)
  out()
  out(
    `${os.cpus()[0]?.model.trim()} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
      `Node ${process.version}, Chromium ${browser.version()}, loopback HTTP/1.1${quick ? ', --quick' : ''}`,
  )
  out()

  await installVariants(page, bearerToken)
  printTable(await latencyScenario(page))
  printTable(await concurrentScenario(page))
  printTable(await transferScenario(page))
  printTable(await coldStartScenario(page, context, bearerToken))
  printTable(await stormScenario(page))
  out('Command: `npx -y pnpm@12.4.2 bench` (add `-- --quick` for a short run).')
} finally {
  await browser.close()
  await Promise.all([spa.close(), provider.close(), api.close(), outsider.close()])
}
