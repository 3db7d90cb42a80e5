// @ts-check
/**
 * The conditions every scenario of `pnpm bench` runs under, beside the idle machine:
 *
 * - **throttled**: Chromium's CPU throttling, CDP `Emulation.setCPUThrottlingRate` rate 4, on every
 *   page of the run. It slows the page's main thread only: a worker's target refuses the command
 *   ("Operation is only supported for pages, not workers"), and {@link checkThrottling} measures
 *   that, in the run, with the same loop on both threads;
 * - **loaded**: the machine busy, one process spinning per CPU core, started and stopped by the bench
 *   itself (and killed at the latest after {@link LOAD_LIMIT_MS}, or when the bench exits).
 */
import { spawn } from 'node:child_process'
import os from 'node:os'

/** @typedef {import('playwright').Page} Page */
/** @typedef {'idle' | 'throttled' | 'loaded'} ConditionName */

/**
 * @typedef {object} Condition
 * @property {ConditionName} name
 * @property {string} label
 * @property {() => Promise<void>} apply
 * @property {() => Promise<void>} release
 */

export const THROTTLING_RATE = 4
/** However the bench ends, the load ends by then. */
export const LOAD_LIMIT_MS = 20 * 60_000

/**
 * @param {import('playwright').BrowserContext} context
 * @param {Page[]} pages every page the scenarios run in
 * @returns {Condition[]}
 */
export function conditions(context, pages) {
  /** @param {number} rate */
  const throttle = async (rate) => {
    for (const page of pages) {
      const cdp = await context.newCDPSession(page)
      await cdp.send('Emulation.setCPUThrottlingRate', { rate })
      await cdp.detach()
    }
  }
  /** @type {import('node:child_process').ChildProcess[]} */
  let load = []
  const stopLoad = () => {
    for (const child of load) child.kill('SIGKILL')
    load = []
  }
  process.once('exit', stopLoad)
  return [
    { name: 'idle', label: 'idle', apply: async () => {}, release: async () => {} },
    {
      name: 'throttled',
      label: `${THROTTLING_RATE}× CPU throttle`,
      apply: () => throttle(THROTTLING_RATE),
      release: () => throttle(1),
    },
    {
      name: 'loaded',
      label: `loaded (${os.availableParallelism()} busy processes)`,
      apply: async () => {
        const spin = `const end = Date.now() + ${LOAD_LIMIT_MS}; while (Date.now() < end);`
        load = Array.from({ length: os.availableParallelism() }, () =>
          spawn(process.execPath, ['-e', spin], { stdio: 'ignore' }),
        )
      },
      release: async () => stopLoad(),
    },
  ]
}

/**
 * Whether the throttling reaches a dedicated worker: the same CPU-bound loop, timed on the page's
 * main thread and in a worker of that page (a `blob:` worker; `page` must allow one), at rate 1
 * and at rate 4, medians of 5 after a warm-up; and what the worker's own target answers when asked
 * to throttle.
 *
 * @param {import('playwright').Browser} browser
 * @param {import('playwright').BrowserContext} context
 * @param {Page} page
 * @returns {Promise<string>} a line for the report
 */
export async function checkThrottling(browser, context, page) {
  const measure = () =>
    page.evaluate(async () => {
      function spin() {
        const started = performance.now()
        let x = 0
        for (let i = 0; i < 5e6; i++) x = (x + Math.sqrt(i)) % 1e6
        return x < 0 ? 0 : performance.now() - started
      }
      const worker = new Worker(URL.createObjectURL(new Blob([`${spin}; onmessage = () => postMessage(spin())`])))
      const inWorker = () =>
        new Promise((resolve) => {
          worker.onmessage = (event) => resolve(event.data)
          worker.postMessage(0)
        })
      /** @type {number[]} */ const main = []
      /** @type {number[]} */ const off = []
      for (let i = -1; i < 5; i++) {
        const m = spin()
        const w = /** @type {number} */ (await inWorker())
        if (i < 0) continue
        main.push(m)
        off.push(w)
      }
      worker.terminate()
      const median = (/** @type {number[]} */ v) => [...v].sort((a, b) => a - b)[2] ?? NaN
      return { main: median(main), worker: median(off) }
    })
  const cdp = await context.newCDPSession(page)
  const free = await measure()
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLING_RATE })
  const throttled = await measure()
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 })
  await cdp.detach()

  // The worker's own target, asked the same.
  const browserCdp = await browser.newBrowserCDPSession()
  let answer = 'no worker target found'
  await page.evaluate(() => {
    Object.assign(window, { benchProbe: new Worker(URL.createObjectURL(new Blob(['onmessage = () => {}']))) })
  })
  const { targetInfos } = await browserCdp.send('Target.getTargets')
  const worker = targetInfos.find((target) => target.type === 'worker' && target.url.startsWith('blob:'))
  if (worker) {
    const { sessionId } = await browserCdp.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false })
    answer = await new Promise((resolve) => {
      browserCdp.on('Target.receivedMessageFromTarget', (event) => {
        const message = JSON.parse(event.message)
        if (message.id === 1) resolve(message.error ? `error "${message.error.message}"` : 'accepted')
      })
      void browserCdp.send('Target.sendMessageToTarget', {
        sessionId,
        message: JSON.stringify({ id: 1, method: 'Emulation.setCPUThrottlingRate', params: { rate: THROTTLING_RATE } }),
      })
    })
  }
  await browserCdp.detach()
  await page.evaluate(() => /** @type {Worker} */ (/** @type {any} */ (window).benchProbe).terminate())
  const ratio = (/** @type {number} */ a, /** @type {number} */ b) => `${(a / b).toFixed(2)}×`
  return (
    `Throttling check (the same loop, medians of 5): page main thread ${free.main.toFixed(0)} → ` +
    `${throttled.main.toFixed(0)} ms (${ratio(throttled.main, free.main)}), dedicated worker ` +
    `${free.worker.toFixed(0)} → ${throttled.worker.toFixed(0)} ms (${ratio(throttled.worker, free.worker)}); ` +
    `the worker's own target answers Emulation.setCPUThrottlingRate with ${answer}.`
  )
}
