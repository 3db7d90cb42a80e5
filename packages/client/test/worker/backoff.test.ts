import { describe, expect, it } from 'vitest'
import { AuthError } from '../../src/shared/errors'
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, createBackoff, transientFailure } from '../../src/worker/backoff'

/** A backoff on a clock, a random source, `navigator.onLine` and an event target the test drives. */
function driven(random = 0) {
  let now = 5_000_000
  let onLine = true
  const events = new EventTarget()
  const backoff = createBackoff({ now: () => now, random: () => random, onLine: () => onLine, events })
  return {
    backoff,
    events,
    advance: (ms: number) => void (now += ms),
    setOnLine: (value: boolean) => void (onLine = value),
    /** How long `waiting()` stays true after a failure now, probed 1 ms at a time near the ends. */
    windowAfterFailure(): number {
      backoff.failed()
      let waited = 0
      while (backoff.waiting()) {
        now += 1
        waited += 1
      }
      return waited
    },
  }
}

describe('createBackoff', () => {
  it('waits nothing before any failure', () => {
    expect(driven().backoff.waiting()).toBe(false)
  })

  it('doubles from 1 s to at most 60 s, each wait in [d/2, d): equal jitter, lowest draw', () => {
    const d = driven(0)
    const windows = Array.from({ length: 9 }, () => d.windowAfterFailure())
    expect(windows).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000])
    expect(BACKOFF_BASE_MS).toBe(1_000)
    expect(BACKOFF_MAX_MS).toBe(60_000)
  })

  it('the highest draw waits just under the ceiling', () => {
    const d = driven(0.999)
    const windows = Array.from({ length: 8 }, () => d.windowAfterFailure())
    expect(windows).toEqual([1_000, 1_999, 3_998, 7_996, 15_992, 31_984, 59_970, 59_970])
  })

  it('a success starts again from the first wait', () => {
    const d = driven(0)
    d.windowAfterFailure()
    d.windowAfterFailure()
    d.backoff.reset()
    expect(d.backoff.waiting()).toBe(false)
    expect(d.windowAfterFailure()).toBe(500)
  })

  it('`online` ends the wait at once, and the next failure waits the first wait again', () => {
    const d = driven(0)
    d.windowAfterFailure()
    d.backoff.failed()
    expect(d.backoff.waiting()).toBe(true)
    d.events.dispatchEvent(new Event('online'))
    expect(d.backoff.waiting()).toBe(false)
    expect(d.windowAfterFailure()).toBe(500)
  })

  it('navigator.onLine turning true ends a wait that began offline (Chromium fires no `online` in workers)', () => {
    const d = driven(0)
    d.setOnLine(false)
    d.backoff.failed()
    // No call in between: only the failure saw the network down.
    d.setOnLine(true)
    expect(d.backoff.waiting()).toBe(false)
  })

  it('navigator.onLine seen false during a wait, then true, ends it too; seen true throughout, it does not', () => {
    const d = driven(0)
    d.backoff.failed()
    expect(d.backoff.waiting()).toBe(true)
    d.setOnLine(false)
    expect(d.backoff.waiting()).toBe(true)
    d.setOnLine(true)
    expect(d.backoff.waiting()).toBe(false)

    const steady = driven(0)
    steady.backoff.failed()
    steady.advance(499)
    expect(steady.backoff.waiting()).toBe(true)
  })

  it('a clock set back does not stretch the wait; one set forward (a device that slept) ends it', () => {
    const back = driven(0.5)
    back.backoff.failed()
    back.advance(-3_600_000)
    expect(back.backoff.waiting()).toBe(false)

    const slept = driven(0.5)
    slept.backoff.failed()
    slept.advance(8 * 3_600_000)
    expect(slept.backoff.waiting()).toBe(false)
  })
})

describe('transientFailure', () => {
  it.each<[string, AuthError, { status?: number; oauthError?: string }]>([
    ['unreachable', new AuthError('network_error', 'refresh: the provider could not be reached'), {}],
    ['500, no body', new AuthError('invalid_response', 'refresh: …', { status: 500 }), { status: 500 }],
    [
      '503 temporarily_unavailable',
      new AuthError('token_error', 'refresh: …', { status: 503, oauthError: 'temporarily_unavailable' }),
      { status: 503, oauthError: 'temporarily_unavailable' },
    ],
    ['429', new AuthError('invalid_response', 'refresh: …', { status: 429 }), { status: 429 }],
  ])('%s → network_error', (_, error, details) => {
    const transient = transientFailure(error)
    expect(transient).toMatchObject({ name: 'AuthError', code: 'network_error', ...details })
    expect(transient?.status).toBe(details.status)
    expect(transient?.oauthError).toBe(details.oauthError)
  })

  it.each<[string, unknown]>([
    ['invalid_grant', new AuthError('token_error', 'x', { status: 400, oauthError: 'invalid_grant' })],
    ['400, no body', new AuthError('invalid_response', 'x', { status: 400 })],
    ['invalid_target', new AuthError('token_error', 'x', { status: 400, oauthError: 'invalid_target' })],
    ['a malformed 200', new AuthError('invalid_response', 'x')],
    ['the lock not granted', new AuthError('worker_error', 'x')],
    ['no session', new AuthError('login_required', 'x')],
    ['not an AuthError', new TypeError('Failed to fetch')],
  ])('%s → not transient', (_, error) => {
    expect(transientFailure(error)).toBeNull()
  })
})
