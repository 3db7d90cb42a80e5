import { webLocks } from './web-locks'

/**
 * Lets a logout in one tab wait until every other tab has let go of the session.
 *
 * Each worker that has a session holds a shared Web Lock and releases it once it has dropped the
 * session from memory. The tab that ends the session asks for the same lock exclusively: it is
 * granted only when no other tab still holds on, so once `waitForOthers` resolves, no other tab can
 * send a token. A tab that does not let go in time (frozen in the background) has its hold stolen,
 * which the browser reports to it as a lost lock.
 */
export interface SessionHold {
  /** Holds on to the session; idempotent. */
  acquire(): void
  /** Lets go; idempotent. */
  release(): void
  /** Resolves once no other worker holds on. */
  waitForOthers(): Promise<void>
}

/** How long a logout waits for other tabs before it takes their hold away. */
export const HOLD_WAIT_MS = 3_000

export const NO_SESSION_HOLD: SessionHold = { acquire() {}, release() {}, waitForOthers: async () => {} }

export function createSessionHold(name: string, onLost: () => void): SessionHold {
  const locks = webLocks()
  if (!locks) return NO_SESSION_HOLD
  let release: (() => void) | undefined
  return {
    acquire() {
      if (release) return
      const held = new Promise<void>((resolve) => {
        release = resolve
      })
      locks
        .request(name, { mode: 'shared' }, () => held)
        .catch(() => {
          // Stolen by a logout elsewhere: the session is over for this tab too.
          release = undefined
          onLost()
        })
    },
    release() {
      release?.()
      release = undefined
    },
    async waitForOthers() {
      try {
        await locks.request(name, { mode: 'exclusive', signal: AbortSignal.timeout(HOLD_WAIT_MS) }, async () => {})
      } catch {
        await locks.request(name, { mode: 'exclusive', steal: true }, async () => {})
      }
    },
  }
}
