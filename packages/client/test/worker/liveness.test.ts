import { describe, expect, it } from 'vitest'
import { holdForLife } from '../../src/worker/liveness'

describe('holdForLife', () => {
  it('holds a Web Lock of its own, and keeps it', async () => {
    const first = await holdForLife()
    const second = await holdForLife()
    expect(first).toMatch(/^oauth-enclave:worker /)
    expect(second).not.toBe(first)
    await new Promise((resolve) => setTimeout(resolve, 50))
    // Still held: a request that does not wait gets no lock.
    const free = await navigator.locks.request(first!, { ifAvailable: true }, (lock) => lock !== null)
    expect(free).toBe(false)
    const { held = [] } = await navigator.locks.query()
    expect(held.map((lock) => lock.name)).toEqual(expect.arrayContaining([first, second]))
  })
})
