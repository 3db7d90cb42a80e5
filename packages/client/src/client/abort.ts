/** Abort signals on the page's side: which one a `fetch` call follows, and racing work against one. */

/**
 * The signal `fetch(input, init)` follows: `init.signal` when given (`null`: none), else the
 * `Request`'s own (Fetch §5.4, the Request constructor).
 */
export function requestSignal(input: RequestInfo | URL, init: RequestInit | undefined): AbortSignal | null {
  return init?.signal !== undefined ? init.signal : input instanceof Request ? input.signal : null
}

/** Settles with `work`, or rejects with the signal's reason once it aborts; leaves nothing behind. */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fail = (): void => reject(signal.reason as Error)
    if (signal.aborted) fail()
    // Removed below once the work settles; a signal aborts only once.
    signal.addEventListener('abort', fail)
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', fail))
  })
}
