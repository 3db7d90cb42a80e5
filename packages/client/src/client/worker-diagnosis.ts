import type { defaultWorker } from './default-worker'

/**
 * Why the worker did not start, in words an app developer can act on. Loaded only once something
 * has failed (`import('./worker-diagnosis')`), so the page pays for it only then. It imports
 * nothing: the library build ships it as a file of its own.
 */

/**
 * The URL the package's own worker starts from, without starting one: `defaultWorker` calls its
 * `Worker` parameter as a constructor with the URL, and `new` yields the object a constructor
 * returns.
 */
function workerUrl(ownWorker: typeof defaultWorker): string {
  const url = ownWorker(function (url: URL) {
    return url
  } as unknown as typeof Worker)
  // Absolute, as the worker was started: Turbopack's `new URL(...)` is origin-relative.
  return new URL(String(url), location.href).href
}

/** Where the message sends the reader: the section that says what each bundler needs. */
const BUNDLERS = 'see "Bundlers" in the @oauth-enclave/client README'

/** Failures already reported on this page: a worker restarted for the next call fails the same way. */
const reported = new Set<string>()

/**
 * What the browser said, as far as it tells a script. A module worker whose script cannot be
 * fetched gets a bare `error` event with no detail (HTML §10.2.4, "run a worker"), so the URL is
 * fetched again here for its status and content type.
 */
async function browserSaid(cause: unknown, url: string | undefined): Promise<string> {
  // `new Worker` threw: a SecurityError (cross-origin URL, CSP, Trusted Types) or a TypeError.
  if (!(cause instanceof Event)) {
    const threw = `new Worker threw ${(cause as Error | null)?.name ?? String(cause)}`
    // HTML, "new Worker": a worker's script is fetched same-origin, so a CDN cannot serve it.
    if (url !== undefined && new URL(url).origin !== location.origin) {
      return `${threw}: it is not on the page's origin, and a browser starts a worker only from the page's own (a CDN cannot serve it): copy worker.js to your site and pass it with the worker option`
    }
    return threw
  }
  // The script loaded and threw while it was evaluated: the browser names the error.
  if (cause instanceof ErrorEvent && cause.message) return `it threw ${cause.message}`
  if (url === undefined) return 'the browser gave no detail (a worker of the `worker` option: check its URL)'
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) })
    const type = response.headers.get('content-type') ?? 'no content type'
    return response.ok
      ? `it answers ${response.status} (${type}): is it JavaScript, and does the CSP's worker-src allow it?`
      : `it answers HTTP ${response.status} (${type})`
  } catch (error: unknown) {
    return `fetching it failed with ${(error as Error).name}`
  }
}

/**
 * Describes a failed worker start and reports it with `console.error`, once per distinct failure
 * on the page; returns the message, for the `worker_error` the calls reject with.
 *
 * @param cause what `new Worker` threw, or the `error` event the worker fired before it answered
 * @param ownWorker `defaultWorker` when the worker was the package's own, whose URL the message
 *   names; `false` for a worker of the `worker` option, whose URL the SDK cannot know
 */
export async function diagnose(cause: unknown, ownWorker: typeof defaultWorker | false): Promise<string> {
  const url = ownWorker ? workerUrl(ownWorker) : undefined
  const message = `the worker failed to start: ${url ?? 'the worker option'}: ${await browserSaid(cause, url)}; ${BUNDLERS}`
  if (!reported.has(message)) {
    reported.add(message)
    console.error(`oauth-enclave: ${message}`)
  }
  return message
}

/**
 * Reports that the `oauth-enclave` Trusted Types policy could not be created: taken by script that
 * ran before the SDK, or not allowed by the CSP's `trusted-types` list (the browser's error says
 * which).
 *
 * @param error what `trustedTypes.createPolicy` threw
 */
export function reportPolicyTaken(error: unknown): void {
  console.error('oauth-enclave: create the client in your first script', error)
}
