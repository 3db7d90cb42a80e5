import { describe, expect, it } from 'vitest'
import { createTabSync, type HintReason } from '../../src/worker/tab-sync'

/** A tab listening on a fresh channel, and another context of the origin posting on it. */
function listen() {
  const name = `test ${crypto.randomUUID()}`
  const hints: HintReason[] = []
  let activity = 0
  createTabSync(
    name,
    (reason) => hints.push(reason),
    () => activity++,
  )
  const other = new BroadcastChannel(name)
  return { hints, activity: () => activity, post: (message: unknown) => other.postMessage(message) }
}

const delivered = () => new Promise((resolve) => setTimeout(resolve, 50))

describe('tab sync', () => {
  it('passes on the sign-out reasons the SDK sends, and any other as none', async () => {
    const tab = listen()
    for (const reason of ['login_required', 'idle_timeout', 'config_error', 42, undefined]) {
      tab.post({ type: 'ended', reason })
    }
    tab.post(null)
    await delivered()
    expect(tab.hints).toEqual(['login_required', 'idle_timeout', null, null, null, null])
    expect(tab.activity()).toBe(0)
  })

  it("takes another tab's activity as activity, not as a hint to read the vault", async () => {
    const tab = listen()
    tab.post({ type: 'activity' })
    await delivered()
    expect(tab.activity()).toBe(1)
    expect(tab.hints).toEqual([])
  })
})
