import { webLocks } from './web-locks'

/**
 * Runs `task` holding the Web Lock `name`, exclusive across every tab and worker of the origin.
 * The browser releases it when the holder's tab closes, so a tab that dies mid-refresh cannot
 * block the others.
 */
export function withRefreshLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const locks = webLocks()
  if (!locks) return task()
  return locks.request(name, { mode: 'exclusive' }, task) as Promise<T>
}
