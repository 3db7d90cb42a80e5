import { afterEach, describe, expect, it, vi } from 'vitest'
import type { defaultWorker } from '../../src/client/default-worker'
import { diagnose } from '../../src/client/worker-diagnosis'

/** Stands in for `defaultWorker`: "starts" its worker from `url`, as the real one does from its own. */
const ownWorkerAt = (url: string): typeof defaultWorker =>
  ((Worker = globalThis.Worker) => new Worker(new URL(url, location.href), { type: 'module' })) as typeof defaultWorker

/** What a module worker whose script cannot be fetched fires: an `error` event with no detail. */
const bareError = (): Event => new Event('error')

let run = 0
/** A URL of its own per test: the reports are once per distinct failure on the page. */
const unique = (path: string): string => `${path}?run=${run++}`

afterEach(() => vi.restoreAllMocks())

describe('diagnose', () => {
  it('names the URL of the package worker and the HTTP status and content type it answers with', async () => {
    const url = unique('/no-such-dir/worker.js')
    const message = await diagnose(bareError(), ownWorkerAt(url))
    expect(message).toContain(new URL(url, location.href).href)
    expect(message).toMatch(/answers HTTP 404 \(/)
    expect(message).toContain('"Bundlers" in the @oauth-enclave/client README')
  })

  it('says what a script URL that answers 200 serves, and points at the CSP', async () => {
    const url = unique(new URL(import.meta.url).pathname)
    const message = await diagnose(bareError(), ownWorkerAt(url))
    expect(message).toMatch(
      /answers 200 \([^)]*javascript[^)]*\): is it JavaScript, and does the CSP's worker-src allow it\?/,
    )
  })

  it('names the exception when the URL cannot be fetched at all', async () => {
    const message = await diagnose(bareError(), ownWorkerAt(unique('http://127.0.0.1:1/worker.js')))
    expect(message).toContain('http://127.0.0.1:1/worker.js')
    expect(message).toContain('fetching it failed with TypeError')
  })

  it('names the exception new Worker threw', async () => {
    const url = unique('/worker.js')
    const message = await diagnose(new DOMException('blocked', 'SecurityError'), ownWorkerAt(url))
    expect(message).toContain(`${new URL(url, location.href).href}: new Worker threw SecurityError`)
  })

  it('says why a worker on another origin (a CDN) cannot start, and what to do instead', async () => {
    const message = await diagnose(new TypeError(), ownWorkerAt(unique('https://cdn.example/worker.js')))
    expect(message).toContain("new Worker threw TypeError: it is not on the page's origin")
    expect(message).toContain('copy worker.js to your site and pass it with the worker option')
  })

  it('gives the error a worker threw while it was evaluated', async () => {
    const message = await diagnose(new ErrorEvent('error', { message: 'Uncaught SyntaxError: x' }), false)
    expect(message).toContain('the worker option: it threw Uncaught SyntaxError: x')
  })

  it('fetches nothing for a worker of the `worker` option, whose URL the SDK does not know', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    const message = await diagnose(bareError(), false)
    expect(message).toMatch(/^the worker failed to start: the worker option: the browser gave no detail/)
    expect(fetchSpy).not.toHaveBeenCalled()
  })

  it('reports each distinct failure with console.error once, and returns the message every time', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const own = ownWorkerAt(unique('/missing-worker.js'))
    const first = await diagnose(bareError(), own)
    expect(await diagnose(bareError(), own)).toBe(first)
    expect(errors.mock.calls).toEqual([[`oauth-enclave: ${first}`]])
    await diagnose(new DOMException('x', 'SecurityError'), own)
    expect(errors).toHaveBeenCalledTimes(2)
  })
})
