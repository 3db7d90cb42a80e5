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

const settings = await import('../demo/spa/settings.js')
const { startProvider } = await import('../demo/provider/provider.js')
const { startApi, startOutsider } = await import('../demo/api/api.js')
const { build, preview } = await import('vite')
const { chromium } = await import('playwright')
const { CHROMIUM_ARGS, chromiumPath } = await import('../scripts/chromium.js')

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

async function post(/** @type {string} */ url, body = {}) {
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(body) })
  return response.json()
}

// ── servers ──────────────────────────────────────────────────────────────────────────────────────
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

/** @type {string[]} */
const report = []
const out = (/** @type {string} */ line = '') => {
  report.push(line)
  process.stdout.write(`${line}\n`)
}

try {
  // ── sessions: DPoP (the demo's client, IndexedDB) and Bearer (a memory client) ────────────────
  await page.goto('/')
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.locator('input[name=login]').fill('bench')
  await page.locator('input[name=password]').fill('x')
  await page.locator('button[type=submit]').click()
  await page.getByTestId('status').filter({ hasText: 'Signed in' }).waitFor()

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
    const bearer = window.createAuthClient(options)
    await bearer.handleRedirectCallback()
    Object.assign(window, { bearer })
  }, bearerOptions)
  const issued = await (await fetch(`${settings.issuer}/__test/tokens`)).json()
  const bearerToken = issued.access.at(-1)
  const check = await page.evaluate(
    async ({ api, token }) => {
      const w = /** @type {any} */ (window)
      const url = `${api}/api/me`
      const plain = await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).json()
      const bearer = await (await w.bearer.fetch(url)).json()
      const dpop = await (await w.auth.fetch(url)).json()
      return [plain.tokenType, bearer.tokenType, dpop.tokenType]
    },
    { api: settings.apiOrigin, token: bearerToken },
  )
  if (check.join() !== 'Bearer,Bearer,DPoP') throw new Error(`unexpected token types: ${check}`)

  const version = browser.version()
  out(`## oauth-enclave benchmark`)
  out()
  out(
    `${os.cpus()[0]?.model.trim()} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
      `Node ${process.version}, Chromium ${version}, loopback HTTP/1.1${quick ? ', --quick' : ''}`,
  )
  out()

  // The three variants and the alternation, installed once in the page for every scenario below.
  await page.evaluate((token) => {
    const w = /** @type {any} */ (window)
    /** @type {Record<string, (url: string, init?: RequestInit) => Promise<Response>>} */
    const send = {
      plain: (url, init = {}) =>
        fetch(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } }),
      bearer: (url, init) => w.bearer.fetch(url, init),
      dpop: (url, init) => w.auth.fetch(url, init),
    }
    /**
     * Runs `measure` for each variant in turn, `warmup` rounds first, starting each round with the
     * next variant (A B C, B C A, …); returns the kept results per variant.
     *
     * @param {number} warmup @param {number} rounds @param {(name: string) => Promise<unknown>} measure
     */
    async function alternate(warmup, rounds, measure) {
      const names = Object.keys(send)
      /** @type {Record<string, unknown[]>} */
      const kept = Object.fromEntries(names.map((name) => [name, []]))
      for (let round = -warmup; round < rounds; round++) {
        for (let i = 0; i < names.length; i++) {
          const name = /** @type {string} */ (names[(round + warmup + i) % names.length])
          const result = await measure(name)
          if (round >= 0) kept[name]?.push(result)
        }
      }
      return kept
    }
    Object.assign(window, { benchSend: send, benchAlternate: alternate })
  }, bearerToken)

  // ── 1. latency of a 1 KB JSON GET, one at a time ─────────────────────────────────────────────
  const latency = await page.evaluate(
    async ({ api, rounds }) => {
      const w = /** @type {any} */ (window)
      const url = `${api}/api/data?bytes=1024`
      return w.benchAlternate(30, rounds, async (/** @type {string} */ name) => {
        const started = performance.now()
        await (await w.benchSend[name](url)).json()
        return performance.now() - started
      })
    },
    { api: settings.apiOrigin, rounds: ROUNDS.latency },
  )
  const limitP50 = median(latency.plain)
  out(`### 1 KB JSON GET, one at a time (${ROUNDS.latency} rounds, alternating)`)
  out()
  out('| variant | p50 ms | p95 ms | p50 ratio to the limit | target |')
  out('|---|---|---|---|---|')
  for (const [name, label, target] of /** @type {[string, string, string][]} */ ([
    ['plain', 'plain fetch, header set by hand (the limit)', ''],
    ['bearer', 'auth.fetch, Bearer', '≤ 1.10×'],
    ['dpop', 'auth.fetch, DPoP', '≤ 1.5×'],
  ])) {
    const values = latency[name]
    out(
      `| ${label} | ${fmt(median(values))} | ${fmt(quantile(values, 0.95))} | ${fmt(median(values) / limitP50)}× | ${target} |`,
    )
  }
  out()

  // ── 2. 64 concurrent GETs ───────────────────────────────────────────────────────────────────
  const concurrent = await page.evaluate(
    async ({ api, rounds }) => {
      const w = /** @type {any} */ (window)
      const url = `${api}/api/data?bytes=1024`
      return w.benchAlternate(2, rounds, async (/** @type {string} */ name) => {
        const started = performance.now()
        await Promise.all(
          Array.from({ length: 64 }, () => w.benchSend[name](url).then((/** @type {Response} */ r) => r.arrayBuffer())),
        )
        return 64 / ((performance.now() - started) / 1000)
      })
    },
    { api: settings.apiOrigin, rounds: ROUNDS.concurrent },
  )
  const limitRate = median(concurrent.plain)
  out(`### 64 concurrent 1 KB GETs (${ROUNDS.concurrent} rounds)`)
  out()
  out('| variant | requests/s (median) | ratio to the limit | target |')
  out('|---|---|---|---|')
  for (const [name, label, target] of /** @type {[string, string, string][]} */ ([
    ['plain', 'plain fetch (the limit)', ''],
    ['bearer', 'auth.fetch, Bearer', '≥ 0.90×'],
    ['dpop', 'auth.fetch, DPoP', ''],
  ])) {
    out(
      `| ${label} | ${fmt(median(concurrent[name]), 0)} | ${fmt(median(concurrent[name]) / limitRate)}× | ${target} |`,
    )
  }
  out()

  // ── 3. a 32 MiB download and a 4 MiB upload ────────────────────────────────────────────────
  const transfer = await page.evaluate(
    async ({ api, downloads, uploads }) => {
      const w = /** @type {any} */ (window)
      const perf = /** @type {{ memory: { usedJSHeapSize: number } }} */ (/** @type {unknown} */ (performance))
      const size = 32 * 1024 * 1024
      const downloadUrl = `${api}/api/blob?bytes=${size}`
      const uploadUrl = `${api}/api/echo`
      /** @type {Record<string, { ms: number, heap: number, chunk: number }[]>} */
      const downloaded = await w.benchAlternate(1, downloads, async (/** @type {string} */ name) => {
        const base = perf.memory.usedJSHeapSize
        let peak = base
        let biggest = 0
        let total = 0
        const started = performance.now()
        const reader = (await w.benchSend[name](downloadUrl)).body.getReader()
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
      const up = await w.benchAlternate(1, uploads, async (/** @type {string} */ name) => {
        const body = new Uint8Array(4 * 1024 * 1024).fill(filler++ & 0xff)
        const started = performance.now()
        const echoed = await (await w.benchSend[name](uploadUrl, { method: 'POST', body })).json()
        if (echoed.bodyBytes !== body.byteLength) throw new Error(`uploaded ${echoed.bodyBytes} bytes`)
        return performance.now() - started
      })
      /** @type {any} */
      const down = {}
      for (const [name, runs] of Object.entries(downloaded)) {
        down[name] = { ms: runs.map((r) => r.ms), heap: runs.map((r) => r.heap), chunk: runs.map((r) => r.chunk) }
      }
      return { down, up }
    },
    { api: settings.apiOrigin, downloads: ROUNDS.download, uploads: ROUNDS.upload },
  )
  const limitDown = median(transfer.down.plain.ms)
  const limitUp = median(transfer.up.plain)
  out(`### 32 MiB download (${ROUNDS.download} rounds) and 4 MiB upload (${ROUNDS.upload} rounds)`)
  out()
  out('| variant | download ms | ratio | page heap peak, MiB | largest chunk, KiB | upload ms | ratio |')
  out('|---|---|---|---|---|---|---|')
  for (const [name, label] of /** @type {[string, string][]} */ ([
    ['plain', 'plain fetch (the limit)'],
    ['bearer', 'auth.fetch, Bearer'],
    ['dpop', 'auth.fetch, DPoP'],
  ])) {
    const d = transfer.down[name]
    out(
      `| ${label} | ${fmt(median(d.ms), 0)} | ${fmt(median(d.ms) / limitDown)}× | ${fmt(Math.max(...d.heap) / 2 ** 20, 1)} | ` +
        `${fmt(Math.max(...d.chunk) / 1024, 0)} | ${fmt(median(transfer.up[name]), 0)} | ${fmt(median(transfer.up[name]) / limitUp)}× |`,
    )
  }
  out()

  // ── 4. cold start: navigation to the first authenticated response ───────────────────────────
  await context.addInitScript((token) => Object.assign(window, { benchToken: token }), bearerToken)
  const cold = { plain: /** @type {number[]} */ ([]), sdk: /** @type {number[]} */ ([]) }
  for (let round = -1; round < ROUNDS.cold; round++) {
    for (const mode of round % 2 ? ['plain', 'sdk'] : ['sdk', 'plain']) {
      // The page reports on the console, and navigation waits for nothing more than the commit:
      // waitForFunction would compile Playwright's injected script on the page's main thread in
      // the middle of the SDK's start-up (measured: a 20–30 ms block, which plain loads escaped).
      const done = page.waitForEvent('console', {
        predicate: (m) => m.text().startsWith('bench-done '),
        timeout: 10_000,
      })
      await page.goto(`/bench.html?${mode}`, { waitUntil: 'commit' })
      const ms = Number((await done).text().slice('bench-done '.length))
      if (round >= 0) cold[/** @type {'plain' | 'sdk'} */ (mode)].push(ms)
      await page.waitForLoadState('load')
    }
  }
  out(`### Cold start: navigation start → first authenticated response (${ROUNDS.cold} loads each)`)
  out()
  out('| variant | median ms | over the limit | target |')
  out('|---|---|---|---|')
  out(`| plain fetch, token in the page (the limit) | ${fmt(median(cold.plain), 1)} | | |`)
  out(
    `| restored session, worker start, auth.fetch (DPoP) | ${fmt(median(cold.sdk), 1)} | +${fmt(median(cold.sdk) - median(cold.plain), 1)} ms | ≤ +50 ms |`,
  )
  out()

  // ── 5. a storm: 1,000 concurrent auth.fetch at expiry ───────────────────────────────────────
  await page.goto('/')
  await page.getByTestId('status').filter({ hasText: 'Signed in' }).waitFor()
  // One forced refresh puts the session on a 60 s token, due (half its life, capped leeway) 30 s
  // later: long enough that the storm drains before the next refresh is due.
  await post(`${settings.issuer}/__test/settings`, { accessTokenTtl: 60 })
  await post(`${settings.apiOrigin}/__settings`, { checkRevocation: true })
  await post(`${settings.issuer}/__test/revoke-access`)
  await page.evaluate((url) => window.auth.fetch(url).then((r) => r.arrayBuffer()), `${settings.apiOrigin}/api/me`)
  await post(`${settings.apiOrigin}/__settings`, { checkRevocation: false })
  const before = await (await fetch(`${settings.issuer}/__test/counters`)).json()
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
  const after = await (await fetch(`${settings.issuer}/__test/counters`)).json()
  out('### Storm: 1,000 concurrent auth.fetch at expiry (DPoP)')
  out()
  out('| token requests | responses 200 | time to drain, ms |')
  out('|---|---|---|')
  out(
    `| ${after.token.refresh_token - before.token.refresh_token} (must be 1) | ${storm.ok} / 1000 | ${fmt(storm.ms, 0)} |`,
  )
  if (storm.ok !== 1000) out(`\nStatuses: ${JSON.stringify(storm.counts)} (0: rejected)`)
  out()
  out('Command: `npx -y pnpm@12.4.2 bench` (add `-- --quick` for a short run).')
} finally {
  await browser.close()
  await Promise.all([spa.close(), provider.close(), api.close(), outsider.close()])
}
