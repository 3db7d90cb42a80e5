import { describe, expect, it } from 'vitest'
import { requestSignal, unlessAborted } from '../../src/client/abort'

const URL_ = 'https://api.example.test/x'

describe('requestSignal', () => {
  it("finds the signal fetch would follow: init.signal when given, null meaning none, else the Request's", () => {
    const { signal } = new AbortController()
    const request = new Request(URL_, { signal })
    expect(requestSignal(URL_, { signal })).toBe(signal)
    expect(requestSignal(URL_, undefined)).toBeNull()
    expect(requestSignal(URL_, { signal: null })).toBeNull()
    expect(requestSignal(request, undefined)).toBe(request.signal)
    expect(requestSignal(request, { signal: null })).toBeNull()
    expect(requestSignal(request, { signal: undefined })).toBe(request.signal)
  })
})

describe('unlessAborted', () => {
  it('settles with the work while the signal stays quiet', async () => {
    await expect(unlessAborted(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7)
  })

  it("rejects with the signal's reason as soon as it aborts, and at once when it already has", async () => {
    const controller = new AbortController()
    const pending = unlessAborted(new Promise(() => {}), controller.signal)
    controller.abort(new Error('stop'))
    await expect(pending).rejects.toThrow('stop')
    await expect(unlessAborted(Promise.resolve(1), controller.signal)).rejects.toThrow('stop')
  })
})
