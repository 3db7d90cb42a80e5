import { webLocks } from './web-locks'

/**
 * Takes a Web Lock this worker never releases: the browser frees it when the worker ends, which is
 * how the page learns that the worker was terminated or crashed.
 *
 * @returns the lock's name, for the page to wait on; `null` without Web Locks.
 */
export async function holdForLife(): Promise<string | null> {
  const locks = webLocks()
  if (!locks) return null
  const name = `oauth-enclave:worker ${crypto.randomUUID()}`
  await new Promise<void>((granted) => {
    void locks.request(name, () => {
      granted()
      return new Promise<never>(() => {})
    })
  })
  return name
}
