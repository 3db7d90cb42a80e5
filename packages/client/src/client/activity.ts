/**
 * What counts as user activity for `idleTimeoutSeconds`, watched in the page and reported to the
 * worker. Loaded only when that option is set, in the on-demand chunk (`on-demand.ts`), so pages
 * without it do not pay for it. It imports nothing at run time.
 */
import type { WorkerConnection } from './worker-connection'

/**
 * The events that count, when the browser fired them for the user (`isTrusted`): a press of a
 * pointer (mouse button, touch, pen), a key, the wheel, and the page coming back into view. Not
 * pointer moves alone, not scrolling by script, not events the page dispatches itself.
 */
export const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'visibilitychange'] as const

/** At most one report per this long: the worker learns of activity to within it. */
export const REPORT_INTERVAL_MS = 5_000

/**
 * Reports user activity to the worker, at once for the first event and then at most once per
 * {@link REPORT_INTERVAL_MS}, or per tenth of the idle timeout when that is shorter. Listens in the
 * capture phase on `window`, so the app stopping an event's propagation does not hide it.
 *
 * @param connection the client's worker; a failed report is ignored (the next activity tries again)
 * @param timeoutSeconds the `idleTimeoutSeconds` option, which the worker validates
 * @returns stops watching
 */
export function watchActivity(
  connection: Pick<WorkerConnection, 'call'>,
  timeoutSeconds: number | null | undefined,
  now: () => number = Date.now,
): () => void {
  const interval = Math.min(REPORT_INTERVAL_MS, (timeoutSeconds ?? 0) * 100) || REPORT_INTERVAL_MS
  let last = -Infinity
  const onEvent = (event: Event): void => {
    if (!event.isTrusted || document.visibilityState !== 'visible') return
    const time = now()
    if (time - last < interval) return
    last = time
    connection.call((api) => api.reportActivity()).catch(() => {})
  }
  const options = { capture: true, passive: true }
  for (const type of ACTIVITY_EVENTS) addEventListener(type, onEvent, options)
  return () => {
    for (const type of ACTIVITY_EVENTS) removeEventListener(type, onEvent, options)
  }
}
