import { afterEach, describe, expect, it, vi } from 'vitest'
import { loginInPopup, relayToOpener } from '../../src/client/popup'
import { AuthError } from '../../src/shared/errors'
import type { RedirectResult } from '../../src/shared/types'
import type { StartLoginInput } from '../../src/shared/wire'

const STATE = 'popup.st4te'
const PROVIDER_URL = 'https://as.example.test/authorize?client_id=spa&request_uri=urn%3Ax'
const CALLBACK = `${location.origin}/callback?code=c0de&state=${STATE}&iss=https%3A%2F%2Fas.example.test`
const RESULT: RedirectResult = { returnTo: '/back', user: { sub: 'alice' } }

/** A stand-in for the popup `window.open` returned: where it was sent, whether it was closed. */
function fakePopup(closed = false) {
  const popup = { closed, location: { href: 'about:blank' }, closes: 0, close: () => void popup.closes++ }
  return popup
}

/** A worker that starts the login and completes the callback it is handed. */
function fakeWorker() {
  const started: StartLoginInput[] = []
  const handled: string[] = []
  const api = {
    startLogin: async (input: StartLoginInput) => (started.push(input), { url: PROVIDER_URL, state: STATE }),
    handleCallback: async (href: string) => (handled.push(href), RESULT),
  }
  const call = <T>(task: (a: typeof api) => Promise<T>) => task(api)
  return { started, handled, call: call as Parameters<typeof loginInPopup>[2] }
}

const resolve = (value: string | undefined) => (value == null ? null : new URL(value, location.href).href)

/** The popup's side, as the callback page would post it once the popup has been navigated. */
async function answerAsPopup(popup: ReturnType<typeof fakePopup>, href = CALLBACK): Promise<unknown[]> {
  await vi.waitFor(() => expect(popup.location.href).toBe(PROVIDER_URL))
  const channel = new BroadcastChannel(`oauth-enclave:popup:${STATE}`)
  const answers: unknown[] = []
  channel.onmessage = ({ data }) => answers.push(data)
  channel.postMessage({ href })
  await vi.waitFor(() => expect(answers).toHaveLength(1))
  channel.close()
  return answers
}

afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('loginInPopup', () => {
  it('rejects popup_blocked when the window did not open, starting nothing', async () => {
    const worker = fakeWorker()
    await expect(loginInPopup(null, {}, worker.call, AuthError, resolve)).rejects.toMatchObject({
      code: 'popup_blocked',
    })
    expect(worker.started).toEqual([])
  })

  it('sends the popup to the provider and completes the response the popup hands over, in its own worker', async () => {
    const worker = fakeWorker()
    const popup = fakePopup()
    const login = loginInPopup(popup as unknown as Window, { returnTo: '/back' }, worker.call, AuthError, resolve)
    const answers = await answerAsPopup(popup)
    expect(await login).toEqual(RESULT)
    expect(worker.started).toEqual([{ returnTo: `${location.origin}/back`, popup: true }])
    expect(worker.handled).toEqual([CALLBACK])
    expect(answers).toEqual([{ received: true }])
    expect(popup.closes).toBe(0)
  })

  it('does not take a closed popup for the end: COOP reports a popup at the provider as closed', async () => {
    const worker = fakeWorker()
    const popup = fakePopup()
    const login = loginInPopup(popup as unknown as Window, {}, worker.call, AuthError, resolve)
    await vi.waitFor(() => expect(popup.location.href).toBe(PROVIDER_URL))
    popup.closed = true
    await answerAsPopup(popup)
    expect(await login).toEqual(RESULT)
  })

  it('rejects popup_closed when the user closed the popup before it left for the provider', async () => {
    const worker = fakeWorker()
    const popup = fakePopup(true)
    await expect(loginInPopup(popup as unknown as Window, {}, worker.call, AuthError, resolve)).rejects.toMatchObject({
      code: 'popup_closed',
    })
    expect(popup.location.href).toBe('about:blank')
  })

  it('rejects popup_closed after timeoutSeconds without an answer, and closes the popup', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const worker = fakeWorker()
    const popup = fakePopup()
    const login = loginInPopup(popup as unknown as Window, { timeoutSeconds: 2 }, worker.call, AuthError, resolve)
    const settled = login.catch((error: unknown) => error)
    await vi.advanceTimersByTimeAsync(0)
    expect(popup.location.href).toBe(PROVIDER_URL)
    await vi.advanceTimersByTimeAsync(1999)
    expect(popup.closes).toBe(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(await settled).toMatchObject({ code: 'popup_closed' })
    expect(popup.closes).toBe(1)
    expect(worker.handled).toEqual([])
  })

  it('waits 120 s by default', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const popup = fakePopup()
    const settled = loginInPopup(popup as unknown as Window, {}, fakeWorker().call, AuthError, resolve).catch(
      (error: unknown) => error,
    )
    await vi.advanceTimersByTimeAsync(0)
    expect(popup.location.href).toBe(PROVIDER_URL)
    await vi.advanceTimersByTimeAsync(119_999)
    expect(popup.closes).toBe(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(await settled).toMatchObject({ code: 'popup_closed' })
  })

  it('rejects with the signal’s reason when aborted, and closes the popup', async () => {
    const worker = fakeWorker()
    const popup = fakePopup()
    const cancel = new AbortController()
    const login = loginInPopup(popup as unknown as Window, { signal: cancel.signal }, worker.call, AuthError, resolve)
    await vi.waitFor(() => expect(popup.location.href).toBe(PROVIDER_URL))
    cancel.abort(new DOMException('cancelled', 'AbortError'))
    await expect(login).rejects.toMatchObject({ name: 'AbortError', message: 'cancelled' })
    expect(popup.closes).toBe(1)
  })

  it.each([0, -1, 3601, Number.NaN, '60'])(
    'refuses timeoutSeconds %s with config_error and closes the popup',
    async (t) => {
      const worker = fakeWorker()
      const popup = fakePopup()
      const options = { timeoutSeconds: t as number }
      await expect(
        loginInPopup(popup as unknown as Window, options, worker.call, AuthError, resolve),
      ).rejects.toMatchObject({
        code: 'config_error',
      })
      expect(popup.closes).toBe(1)
      expect(worker.started).toEqual([])
    },
  )
})

describe('relayToOpener', () => {
  it('hands the response to the opener and closes the popup once the opener has it', async () => {
    const close = vi.spyOn(window, 'close').mockImplementation(() => {})
    const opener = new BroadcastChannel(`oauth-enclave:popup:${STATE}`)
    const seen: unknown[] = []
    opener.onmessage = ({ data }) => {
      seen.push(data)
      opener.postMessage({ received: true })
    }
    expect(await relayToOpener(CALLBACK, AuthError)).toEqual({ returnTo: null, user: null })
    opener.close()
    expect(seen).toEqual([{ href: CALLBACK }])
    expect(close).toHaveBeenCalledOnce()
  })

  it('rejects invalid_state when no tab answers: the opener is gone, and the popup stays to show it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const close = vi.spyOn(window, 'close').mockImplementation(() => {})
    const settled = relayToOpener(CALLBACK, AuthError).catch((error: unknown) => error)
    await vi.advanceTimersByTimeAsync(5000)
    expect(await settled).toMatchObject({ code: 'invalid_state' })
    expect(close).not.toHaveBeenCalled()
  })
})
