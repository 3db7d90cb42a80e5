import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AuthErrorCode } from '../../src/shared/errors'
import type { AuthState, IdleWarning } from '../../src/shared/types'
import { createIdleClock, type IdleClock } from '../../src/worker/idle'
import type { ActiveSession } from '../../src/worker/session'
import type { TabMessage } from '../../src/worker/tab-sync'
import { createMemoryVault } from '../../src/worker/vault'
import { IDLE_RECORD } from '../../src/worker/vault-records'

const TIMEOUT_MS = 10_000
const WARNING_MS = 3_000
const T0 = Date.UTC(2026, 0, 1)

const ended = { sessionId: 's' } as ActiveSession

/** A clock over a memory vault and a session stand-in, with what it told the page, the tabs and the provider. */
function setup(options: { authenticated?: boolean; warningMs?: number } = {}) {
  const vault = createMemoryVault()
  let authenticated = options.authenticated ?? true
  const state = vi.fn(async (): Promise<AuthState> => ({ authenticated, user: null, expiresAt: null }))
  const end = vi.fn(async (reason: AuthErrorCode | null) => {
    expect(reason).toBe('idle_timeout')
    const was = authenticated
    authenticated = false
    return was ? ended : null
  })
  const revoke = vi.fn(async () => {})
  const broadcast: TabMessage[] = []
  /** The warning the page would read with each state emitted. */
  const warnings: (IdleWarning | null)[] = []
  const clock: IdleClock = createIdleClock({
    timeoutMs: TIMEOUT_MS,
    warningMs: options.warningMs ?? WARNING_MS,
    now: () => Date.now(),
    vault,
    session: { state, end },
    broadcast: (message) => broadcast.push(message),
    emit: () => warnings.push(clock.warning()),
    revoke,
  })
  return { clock, vault, state, end, revoke, broadcast, warnings, signOut: () => (authenticated = false) }
}

/** Starts the clock with activity stored now, as after a login. */
async function begin(t: ReturnType<typeof setup>): Promise<void> {
  await t.vault.write(IDLE_RECORD, Date.now())
  await t.clock.start()
}

/** Runs timers and the promises between them. */
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms)

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  vi.setSystemTime(T0)
})
afterEach(() => vi.useRealTimers())

describe('idle clock', () => {
  it('warns with the deadline and the seconds left, then ends the session with idle_timeout and revokes it', async () => {
    const t = setup()
    await t.vault.write(IDLE_RECORD, T0)
    await t.clock.start()
    await advance(TIMEOUT_MS - WARNING_MS - 1)
    expect(t.warnings).toEqual([])
    await advance(1)
    const warning = { expiresAt: T0 + TIMEOUT_MS, secondsLeft: 3 }
    expect(t.warnings).toEqual([warning])
    expect(t.clock.warning()).toEqual(warning)
    await advance(WARNING_MS - 1)
    expect(t.end).not.toHaveBeenCalled()
    await advance(1)
    expect(t.end).toHaveBeenCalledTimes(1)
    expect(t.revoke).toHaveBeenCalledWith(ended)
    expect(t.clock.warning()).toBeNull()
    // Once: the clock does not end a session that is no more.
    await advance(10 * TIMEOUT_MS)
    expect(t.end).toHaveBeenCalledTimes(1)
  })

  it('with no warning, ends the session at the timeout without a warning state', async () => {
    const t = setup({ warningMs: 0 })
    await begin(t)
    await advance(TIMEOUT_MS - 1)
    expect(t.end).not.toHaveBeenCalled()
    await advance(1)
    expect(t.end).toHaveBeenCalledTimes(1)
    expect(t.warnings).toEqual([])
  })

  it('activity starts the clock again, stores its time by the worker clock and tells the other tabs', async () => {
    const t = setup()
    await t.vault.write(IDLE_RECORD, T0)
    await t.clock.start()
    await advance(5_000)
    await t.clock.activity()
    expect(await t.vault.read(IDLE_RECORD)).toBe(T0 + 5_000)
    expect(t.broadcast).toEqual([{ type: 'activity' }])
    // No warning was on: the page is told nothing.
    expect(t.warnings).toEqual([])
    await advance(TIMEOUT_MS - 1)
    expect(t.end).not.toHaveBeenCalled()
    await advance(1)
    expect(t.end).toHaveBeenCalledTimes(1)
  })

  it('activity during the warning cancels it, once; activity from another tab too, without storing or telling again', async () => {
    const t = setup()
    await begin(t)
    await advance(TIMEOUT_MS - WARNING_MS)
    expect(t.clock.warning()).not.toBeNull()
    await t.clock.activity()
    expect(t.warnings).toEqual([{ expiresAt: T0 + TIMEOUT_MS, secondsLeft: 3 }, null])
    expect(t.clock.warning()).toBeNull()
    await advance(TIMEOUT_MS - WARNING_MS)
    expect(t.clock.warning()).toEqual({ expiresAt: T0 + 2 * TIMEOUT_MS - WARNING_MS, secondsLeft: 3 })
    const stored = await t.vault.read(IDLE_RECORD)
    await t.clock.activity(true)
    expect(t.clock.warning()).toBeNull()
    expect(t.warnings.at(-1)).toBeNull()
    expect(await t.vault.read(IDLE_RECORD)).toBe(stored)
    expect(t.broadcast).toHaveLength(1)
    await advance(TIMEOUT_MS - 1)
    expect(t.end).not.toHaveBeenCalled()
  })

  it('reads the stored time again before warning: activity in a tab whose message was missed keeps the session', async () => {
    const t = setup()
    await begin(t)
    await advance(4_000)
    await t.vault.write(IDLE_RECORD, Date.now())
    await advance(TIMEOUT_MS - 4_000)
    expect(t.warnings).toEqual([])
    expect(t.end).not.toHaveBeenCalled()
    await advance(4_000)
    expect(t.end).toHaveBeenCalledTimes(1)
  })

  it('at start, ends a session idle past its timeout while no tab ran, or with no activity stored at all', async () => {
    const stale = setup()
    await stale.vault.write(IDLE_RECORD, T0 - TIMEOUT_MS)
    await stale.clock.start()
    expect(stale.end).toHaveBeenCalledTimes(1)
    expect(stale.revoke).toHaveBeenCalledWith(ended)
    const none = setup()
    await none.clock.start()
    expect(none.end).toHaveBeenCalledTimes(1)
  })

  it('at start, keeps a session whose stored activity is recent, counting from that activity', async () => {
    const t = setup()
    await t.vault.write(IDLE_RECORD, T0 - 2_000)
    await t.clock.start()
    expect(t.end).not.toHaveBeenCalled()
    await advance(TIMEOUT_MS - 2_000 - 1)
    expect(t.end).not.toHaveBeenCalled()
    await advance(1)
    expect(t.end).toHaveBeenCalledTimes(1)
  })

  it('takes a stored time ahead of its clock for none: a record cannot push the deadline out', async () => {
    const t = setup()
    await t.vault.write(IDLE_RECORD, T0 + 365 * 86_400_000)
    await t.clock.start()
    expect(t.end).toHaveBeenCalledTimes(1)
    const running = setup()
    await begin(running)
    await running.vault.write(IDLE_RECORD, T0 + 365 * 86_400_000)
    await advance(TIMEOUT_MS)
    expect(running.end).toHaveBeenCalledTimes(1)
  })

  it('does nothing without a session: no warning, no end, no state', async () => {
    const t = setup({ authenticated: false })
    await t.clock.start()
    await t.clock.activity()
    await advance(3 * TIMEOUT_MS)
    expect(t.end).not.toHaveBeenCalled()
    expect(t.warnings).toEqual([])
  })

  it('a session signed out meanwhile gets no warning', async () => {
    const t = setup()
    await begin(t)
    t.signOut()
    await advance(TIMEOUT_MS)
    expect(t.warnings).toEqual([])
    expect(t.end).not.toHaveBeenCalled()
  })

  it('activity after the deadline, before the timer fired (a computer that slept), ends the session instead', async () => {
    const t = setup()
    await begin(t)
    // The wall clock moves on, the timers do not.
    vi.setSystemTime(T0 + TIMEOUT_MS + 60_000)
    await t.clock.activity()
    expect(t.end).toHaveBeenCalledTimes(1)
    const slept = setup()
    await begin(slept)
    vi.setSystemTime(Date.now() + TIMEOUT_MS)
    await slept.clock.enforce()
    expect(slept.end).toHaveBeenCalledTimes(1)
  })

  it('two checks at once end the session once', async () => {
    const t = setup()
    await begin(t)
    vi.setSystemTime(Date.now() + TIMEOUT_MS)
    await Promise.all([t.clock.enforce(), t.clock.enforce()])
    expect(t.end).toHaveBeenCalledTimes(1)
    await t.clock.enforce()
    expect(t.end).toHaveBeenCalledTimes(1)
  })

  it('enforce leaves a session within its timeout alone', async () => {
    const t = setup()
    await begin(t)
    vi.setSystemTime(Date.now() + TIMEOUT_MS - 1)
    await t.clock.enforce()
    expect(t.end).not.toHaveBeenCalled()
  })

  it('activity while the clock asks for the session state wins: the session is not ended', async () => {
    const t = setup()
    await begin(t)
    let answer: (state: AuthState) => void = () => {}
    t.state.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)))
    await advance(TIMEOUT_MS - WARNING_MS)
    await t.clock.activity()
    answer({ authenticated: true, user: null, expiresAt: null })
    await advance(0)
    expect(t.warnings).toEqual([])
    await advance(TIMEOUT_MS - 1)
    expect(t.end).not.toHaveBeenCalled()
  })
})
