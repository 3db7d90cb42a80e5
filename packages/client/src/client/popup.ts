/**
 * Login in a popup, both ends: the tab that opens it ({@link loginInPopup}) and the popup's
 * callback page ({@link relayToOpener}). Loaded only when one of them runs (`import('./popup')`),
 * so apps that never use a popup do not pay for it. It imports nothing at run time (the library
 * build ships it as a file of its own): what it needs comes as arguments.
 *
 * The two ends meet on a `BroadcastChannel` named for the login's `state`, not through
 * `window.opener`, which a provider's `Cross-Origin-Opener-Policy` takes away. What crosses it is
 * the authorization response (`code`, `state`, `iss`), never a token: the code is useless without
 * the PKCE verifier (RFC 7636 §1) and, with DPoP, the key (RFC 9449 §10), which stay in the
 * opening tab's worker.
 */
import type { Remote } from './comlink-client'
import type { AuthError as AuthErrorClass } from '../shared/errors'
import type { PopupLoginOptions, RedirectResult } from '../shared/types'
import type { StartLoginInput, WorkerApi } from '../shared/wire'

type Call = <T>(task: (api: Remote<WorkerApi>) => Promise<T>) => Promise<T>

/** Seconds to wait for the popup's answer by default. */
const DEFAULT_TIMEOUT_SECONDS = 120
/** How long the popup waits for its opener to acknowledge the response. */
const RELAY_TIMEOUT_MS = 5000

const channelName = (state: string): string => `oauth-enclave:popup:${state}`

/** What the popup sends on the channel, and what the opener answers. */
interface PopupMessage {
  readonly href?: unknown
  readonly received?: unknown
}

/**
 * The opener's end: starts the login in `popup` (opened by the caller in the user's gesture),
 * waits for the popup's callback to send the response, and completes it in this tab's worker.
 * Where the provider sets `Cross-Origin-Opener-Policy` the browser reports the popup as `closed`
 * as soon as it shows the provider's page (HTML §7.1.3: the opener loses it), so `closed` is
 * believed only before the popup leaves; after that only the timeout, or the signal, ends the wait.
 *
 * @throws AuthError `popup_blocked` when `popup` is `null`, `popup_closed` when the user closed it
 *   before it left for the provider or no answer came within `timeoutSeconds`, `config_error` for
 *   a bad `timeoutSeconds`; what `startLogin` and `handleCallback` reject with.
 */
export async function loginInPopup(
  popup: Window | null,
  options: PopupLoginOptions = {},
  call: Call,
  AuthError: typeof AuthErrorClass,
  resolveReturnTo: (returnTo: string | undefined) => string | null,
): Promise<RedirectResult> {
  if (!popup) {
    throw new AuthError('popup_blocked', 'the popup was blocked: call loginWithPopup in a click or key handler')
  }
  const { timeoutSeconds = DEFAULT_TIMEOUT_SECONDS, signal, ...login } = options
  let channel: BroadcastChannel | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    if (!(typeof timeoutSeconds === 'number' && timeoutSeconds > 0 && timeoutSeconds <= 3600)) {
      throw new AuthError('config_error', 'timeoutSeconds must be a number of seconds in (0, 3600]')
    }
    signal?.throwIfAborted()
    const start: StartLoginInput = { ...login, returnTo: resolveReturnTo(login.returnTo), popup: true }
    const { url, state } = await call((api) => api.startLogin(start))
    signal?.throwIfAborted()
    if (popup.closed) throw new AuthError('popup_closed', 'the popup was closed')
    const listening = new BroadcastChannel(channelName(state))
    channel = listening
    const response = new Promise<string>((resolve, reject) => {
      listening.onmessage = ({ data }: MessageEvent<PopupMessage | null>) => {
        if (typeof data?.href !== 'string') return
        listening.postMessage({ received: true } satisfies PopupMessage)
        resolve(data.href)
      }
      timer = setTimeout(
        () => reject(new AuthError('popup_closed', `no answer from the popup in ${timeoutSeconds} s`)),
        timeoutSeconds * 1000,
      )
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true })
    })
    popup.location.href = url
    const href = await response
    return await call((api) => api.handleCallback(href))
  } catch (error) {
    popup.close()
    throw error
  } finally {
    clearTimeout(timer)
    channel?.close()
  }
}

/**
 * The popup's end, run by its callback page's `handleRedirectCallback`: sends the response to the
 * tab that opened the popup and, once that tab has it, closes the popup.
 *
 * @throws AuthError `invalid_state` when no tab acknowledges the response: the one that opened
 *   the popup was closed or reloaded, and with it the login.
 */
export function relayToOpener(href: string, AuthError: typeof AuthErrorClass): Promise<RedirectResult> {
  const state = new URL(href).searchParams.get('state') ?? ''
  const channel = new BroadcastChannel(channelName(state))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      channel.close()
      reject(new AuthError('invalid_state', 'callback: the tab that opened this popup is gone'))
    }, RELAY_TIMEOUT_MS)
    channel.onmessage = ({ data }: MessageEvent<PopupMessage | null>) => {
      if (data?.received !== true) return
      clearTimeout(timer)
      channel.close()
      resolve({ returnTo: null, user: null })
      window.close()
    }
    channel.postMessage({ href } satisfies PopupMessage)
  })
}
