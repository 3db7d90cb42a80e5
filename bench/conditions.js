// @ts-check
/**
 * The conditions every scenario of `pnpm bench` runs under, beside the idle machine:
 *
 * - **throttled**: Chromium's CPU throttling, CDP `Emulation.setCPUThrottlingRate` rate 4, on every
 *   page of the run. It slows a page's main thread only: a worker's own target refuses the command
 *   ("Operation is only supported for pages, not workers"), and {@link slowdown} measures it;
 * - **quota**: the whole browser, every process and thread of it (workers and service workers
 *   included), held to a quarter of one core by a CPU cgroup (Linux, as root; skipped elsewhere);
 * - **loaded**: the machine busy, one process spinning per CPU core, started and stopped by the bench
 *   itself (each ends by itself after {@link LOAD_LIMIT_MS} at the latest, and is killed when the
 *   bench exits).
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'

/** @typedef {import('playwright').Page} Page */
/** @typedef {'idle' | 'throttled' | 'quota' | 'loaded'} ConditionName */

/**
 * @typedef {object} Condition
 * @property {ConditionName} name
 * @property {string} label
 * @property {() => Promise<void>} apply
 * @property {() => Promise<void>} release
 */

export const THROTTLING_RATE = 4
/** The whole browser's share of one core under the quota. */
export const QUOTA_SHARE = 1 / THROTTLING_RATE
/** However the bench ends, the load ends by then. */
export const LOAD_LIMIT_MS = 30 * 60_000
const QUOTA_PERIOD_US = 10_000

/**
 * A CPU cgroup for the browser (cgroup v1's `cpu` controller): `executablePath` is a script that
 * joins it, then runs Chromium, whose processes all stay in it. Undefined where the bench cannot
 * make one (not Linux, not root, no such controller).
 *
 * @param {string} chromium
 */
export function browserCgroup(chromium) {
  const controller = '/sys/fs/cgroup/cpu'
  if (!existsSync(join(controller, 'cpu.cfs_quota_us'))) return undefined
  const group = join(controller, `oauth-enclave-bench-${process.pid}`)
  const executablePath = join(os.tmpdir(), `oauth-enclave-bench-chromium-${process.pid}.sh`)
  try {
    mkdirSync(group)
    writeFileSync(join(group, 'cpu.cfs_period_us'), String(QUOTA_PERIOD_US))
    writeFileSync(executablePath, `#!/bin/sh\necho $$ > ${group}/cgroup.procs\nexec ${chromium} "$@"\n`, {
      mode: 0o755,
    })
  } catch {
    return undefined
  }
  return {
    executablePath,
    /** @param {number | undefined} share of one core; undefined: no limit */
    limit: (share) =>
      writeFileSync(join(group, 'cpu.cfs_quota_us'), share ? String(Math.round(share * QUOTA_PERIOD_US)) : '-1'),
    /** Once the browser has exited. */
    remove: () => {
      rmSync(executablePath, { force: true })
      try {
        rmdirSync(group)
      } catch {
        // A process of the browser still exiting: the empty group is left behind, harmless.
      }
    },
  }
}

/**
 * @param {import('playwright').BrowserContext} context
 * @param {Page[]} pages every page the scenarios run in
 * @param {ReturnType<typeof browserCgroup>} cgroup
 * @returns {Condition[]}
 */
export function conditions(context, pages, cgroup) {
  // One session per page, kept for the run: a session's emulation ends when it detaches.
  /** @type {Promise<import('playwright').CDPSession[]> | undefined} */
  let sessions
  /** @param {number} rate */
  const throttle = async (rate) => {
    sessions ??= Promise.all(pages.map((page) => context.newCDPSession(page)))
    for (const cdp of await sessions) await cdp.send('Emulation.setCPUThrottlingRate', { rate })
  }
  /** @type {import('node:child_process').ChildProcess[]} */
  let load = []
  const stopLoad = () => {
    for (const child of load) child.kill('SIGKILL')
    load = []
  }
  process.once('exit', stopLoad)
  const cores = os.availableParallelism()
  /** @type {Condition[]} */
  const all = [
    { name: 'idle', label: 'idle', apply: async () => {}, release: async () => {} },
    {
      name: 'throttled',
      label: `${THROTTLING_RATE}× CPU throttle (CDP)`,
      apply: () => throttle(THROTTLING_RATE),
      release: () => throttle(1),
    },
  ]
  if (cgroup) {
    all.push({
      name: 'quota',
      label: `browser at ¼ core (cgroup)`,
      apply: async () => cgroup.limit(QUOTA_SHARE),
      release: async () => cgroup.limit(undefined),
    })
  }
  all.push({
    name: 'loaded',
    label: `loaded (${cores} busy processes)`,
    apply: async () => {
      const spin = `const end = Date.now() + ${LOAD_LIMIT_MS}; while (Date.now() < end);`
      load = Array.from({ length: cores }, () => spawn(process.execPath, ['-e', spin], { stdio: 'ignore' }))
    },
    release: async () => stopLoad(),
  })
  return all
}

/**
 * How much `condition` slows each thread: the same CPU-bound loop timed on the page's main thread
 * and in a dedicated worker of that page (a `blob:` worker; `page` must allow one), medians of 5
 * after a warm-up, without and with it.
 *
 * @param {Page} page
 * @param {Condition} condition
 * @returns {Promise<{ main: number, worker: number }>} the ratios, with over without
 */
export async function slowdown(page, condition) {
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
  const free = await measure()
  await condition.apply()
  try {
    const slowed = await measure()
    return { main: slowed.main / free.main, worker: slowed.worker / free.worker }
  } finally {
    await condition.release()
  }
}

/**
 * What a dedicated worker's own target answers when asked to throttle its CPU.
 *
 * @param {import('playwright').Browser} browser
 * @param {Page} page one that allows a `blob:` worker
 */
export async function workerThrottlingAnswer(browser, page) {
  const cdp = await browser.newBrowserCDPSession()
  await page.evaluate(() => {
    Object.assign(window, { benchProbe: new Worker(URL.createObjectURL(new Blob(['onmessage = () => {}']))) })
  })
  try {
    /** @type {{ targetId: string } | undefined} */
    let worker
    for (let tries = 0; !worker && tries < 20; tries++) {
      const { targetInfos } = await cdp.send('Target.getTargets')
      worker = targetInfos.find((target) => target.type === 'worker' && target.url.startsWith('blob:'))
      if (!worker) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    if (!worker) return 'no worker target found'
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false })
    return await new Promise((resolve) => {
      cdp.on('Target.receivedMessageFromTarget', (event) => {
        const message = JSON.parse(event.message)
        if (message.id === 1) resolve(message.error ? `error "${message.error.message}"` : 'success')
      })
      void cdp.send('Target.sendMessageToTarget', {
        sessionId,
        message: JSON.stringify({ id: 1, method: 'Emulation.setCPUThrottlingRate', params: { rate: THROTTLING_RATE } }),
      })
    })
  } finally {
    await cdp.detach()
    await page.evaluate(() => /** @type {Worker} */ (/** @type {any} */ (window).benchProbe).terminate())
  }
}
