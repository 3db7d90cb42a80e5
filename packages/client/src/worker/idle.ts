/**
 * The idle timeout (`idleTimeoutSeconds`): the session ends in every tab once no tab has seen user
 * activity for that long, after a warning `idleWarningSeconds` before.
 *
 * Time is the worker's own clock, never one the page sends. Each tab's worker stores the last
 * activity its page reported, sealed in the vault, and tells the other tabs' workers, which count it
 * as activity of their own when the message arrives; before warning or ending, a worker reads the
 * stored time again, in case it missed a message. Script of the origin can fake activity in the
 * page, post it on the tabs' channel, or delete or replay the stored record: each of these only
 * keeps the session as long as faking activity would, or ends it sooner. It cannot store a later
 * time than a worker sealed, and a time ahead of the clock counts as none.
 */
import type { AuthState, IdleWarning } from '../shared/types'
import type { ActiveSession, Session } from './session'
import type { TabMessage } from './tab-sync'
import type { Vault } from './vault'
import { IDLE_RECORD } from './vault-records'

export interface IdleDeps {
  readonly timeoutMs: number
  /** `0`: no warning. Below `timeoutMs`. */
  readonly warningMs: number
  readonly now: () => number
  /** The session's vault, where the last activity of every tab is kept. */
  readonly vault: Vault
  readonly session: Pick<Session, 'state' | 'end'>
  readonly broadcast: (message: TabMessage) => void
  /** Tells the page the session's state, which carries the warning. */
  readonly emit: (state: AuthState) => void
  /** Revokes the tokens of the session the clock ended, as logout does. */
  readonly revoke: (ended: ActiveSession) => Promise<unknown>
}

export interface IdleClock {
  /**
   * Starts the clock from the stored last activity: a session left idle past its timeout while no
   * tab ran ends now, and so does one with no activity stored at all (from before the option was
   * set, or its record deleted).
   */
  start(): Promise<void>
  /**
   * The user was active: the clock starts again and a warning ends, unless the session is already
   * past its timeout. `fromTab`: another tab's worker said so; not stored or told again.
   */
  activity(fromTab?: boolean): Promise<void>
  /** Ends the session now if it is past its timeout and the timer has not fired yet (a computer that slept). */
  enforce(): Promise<void>
  /** The warning in force, or `null`. */
  warning(): IdleWarning | null
}

export function createIdleClock(deps: IdleDeps): IdleClock {
  /** The latest activity this worker knows of, by its clock. */
  let last = -Infinity
  /** Whether there may be a session to end: not once the clock has ended one or found none, until activity. */
  let running = true
  let warning: IdleWarning | null = null
  let timer: ReturnType<typeof setTimeout> | undefined

  function wakeAt(at: number): void {
    clearTimeout(timer)
    timer = setTimeout(() => void tick().catch(() => {}), at - deps.now())
  }

  function warn(next: IdleWarning | null): void {
    // Activity reported while there is no warning tells the page nothing.
    if (next === warning) return
    warning = next
    void deps.session.state().then(deps.emit, () => {})
  }

  /** The stored last activity, or `-Infinity`: none, unreadable, or ahead of the clock (set back since). */
  async function stored(): Promise<number> {
    const at = await deps.vault.read(IDLE_RECORD).catch(() => null)
    return typeof at === 'number' && at <= deps.now() ? at : -Infinity
  }

  /** Warns, ends the session, or sleeps until either is due, by the latest activity stored or seen. */
  async function tick(): Promise<void> {
    const seen = (last = Math.max(last, await stored()))
    const expiresAt = seen + deps.timeoutMs
    const warnAt = expiresAt - deps.warningMs
    if (deps.now() < warnAt) {
      warn(null)
      return wakeAt(warnAt)
    }
    const { authenticated } = await deps.session.state()
    // Activity, or another check, while this one waited: theirs stands.
    if (last !== seen || !running) return
    const now = deps.now()
    if (authenticated && now < expiresAt) {
      warn({ expiresAt, secondsLeft: Math.round((expiresAt - now) / 1000) })
      return wakeAt(expiresAt)
    }
    running = false
    warning = null
    if (!authenticated) return
    const ended = await deps.session.end('idle_timeout')
    // Once no tab holds the session any more, as at logout; nothing waits for the provider.
    if (ended) void deps.revoke(ended).catch(() => {})
  }

  async function enforce(): Promise<void> {
    if (running && deps.now() >= last + deps.timeoutMs) await tick()
  }

  return {
    start: tick,

    async activity(fromTab = false) {
      await enforce()
      last = deps.now()
      running = true
      warn(null)
      wakeAt(last + deps.timeoutMs - deps.warningMs)
      if (fromTab) return
      deps.broadcast({ type: 'activity' })
      // Kept in memory if it cannot be stored: this tab's clock still runs.
      await deps.vault.write(IDLE_RECORD, last).catch(() => {})
    },

    enforce,

    warning: () => warning,
  }
}
