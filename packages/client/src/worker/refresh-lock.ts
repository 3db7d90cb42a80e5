import { AuthError } from '../shared/errors'
import { webLocks } from './web-locks'

/**
 * How long a worker waits for the session lock. Any script of the origin can take a Web Lock of
 * any name and never let go, so no wait is unbounded.
 */
export const LOCK_WAIT_MS = 10_000

export interface LockOptions {
  readonly waitMs: number
  /**
   * What happens when the wait is over: take the lock from whoever holds it (`true`, for a logout,
   * which must complete), or fail with `worker_error` (`false`: a refresh is not worth a race).
   */
  readonly steal?: boolean
}

/**
 * Runs `task` holding the Web Lock `name`, exclusive across every tab and worker of the origin.
 * The browser releases it when the holder's tab closes, so a tab that dies mid-refresh cannot
 * block the others; a context that holds it on purpose blocks them for `waitMs` at most.
 *
 * @throws AuthError `worker_error` when the lock was not granted in time and `steal` is not set.
 */
export async function withRefreshLock<T>(name: string, task: () => Promise<T>, options: LockOptions): Promise<T> {
  const locks = webLocks()
  if (!locks) return task()
  let granted = false
  try {
    return (await locks.request(name, { signal: AbortSignal.timeout(options.waitMs) }, () => {
      granted = true
      return task()
    })) as T
  } catch (error) {
    if (granted) throw error
    if (!options.steal) {
      throw new AuthError('worker_error', 'the session lock was held elsewhere too long')
    }
    return locks.request(name, { steal: true }, task) as Promise<T>
  }
}
