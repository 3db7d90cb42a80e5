/**
 * Keeping hold of the workers a page creates, as script that runs before the SDK could: `window.Worker`
 * is replaced by a subclass that reports each new worker. A test harness only; the SDK's worker is
 * the latest one named {@link SDK_WORKER_NAME}.
 */
import type { Page } from '@playwright/test'
import { addInitScriptWith } from './in-page'
import { SDK_WORKER_NAME } from './sdk-names'

export interface CapturedWorker {
  readonly worker: Worker
  readonly name: string | undefined
}

declare global {
  interface Window {
    /** Every worker the page created, oldest first ({@link captureWorkers}). */
    readonly __capturedWorkers?: CapturedWorker[]
    /** The SDK's worker: the latest one captured with its name; throws when there is none. */
    readonly __latestSdkWorker?: () => Worker
  }
}

/**
 * In the page, before any other script: replaces `window.Worker` with a subclass that calls
 * `created` with each new worker, from its constructor (so before any listener of the page's).
 * Self-contained (in-page.ts).
 */
export function onWorkerCreated(created: (worker: Worker, options: WorkerOptions | undefined) => void): void {
  const NativeWorker = window.Worker
  window.Worker = class CapturingWorker extends NativeWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options)
      created(this, options)
    }
  }
}

/** An init script: keeps every worker the page creates on `window.__capturedWorkers`. */
export async function captureWorkers(page: Page): Promise<void> {
  await addInitScriptWith(
    page,
    { onWorkerCreated },
    ({ onWorkerCreated }, sdkWorkerName) => {
      const captured: CapturedWorker[] = []
      Object.defineProperty(window, '__capturedWorkers', { value: captured })
      Object.defineProperty(window, '__latestSdkWorker', {
        value: () => {
          const latest = captured.filter((entry) => entry.name === sdkWorkerName).at(-1)?.worker
          if (!latest) throw new Error(`no ${sdkWorkerName} worker was captured`)
          return latest
        },
      })
      onWorkerCreated((worker, options) => captured.push({ worker, name: options?.name }))
    },
    SDK_WORKER_NAME,
  )
}

/** How many workers the page has created since {@link captureWorkers}. */
export async function capturedWorkerCount(page: Page): Promise<number> {
  return page.evaluate(() => window.__capturedWorkers!.length)
}

/** Terminates every worker the page created. */
export async function terminateCapturedWorkers(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const { worker } of window.__capturedWorkers!) worker.terminate()
  })
}

/** Terminates the page's SDK worker, as script holding it could: the client's next call starts another. */
export async function terminateSdkWorker(page: Page): Promise<void> {
  await page.evaluate(() => window.__latestSdkWorker!().terminate())
}
