/**
 * The page's side of the redirect callback, loaded on demand (`on-demand.ts`): a callback page is
 * a fresh page load, once per login, so the code is fetched from the same deployment as the page.
 * It imports nothing at run time: what it needs comes as arguments.
 */
import type { Remote } from './comlink-client'
import type { AuthError as AuthErrorClass } from '../shared/errors'
import type { RedirectResult } from '../shared/types'
import type { WorkerApi } from '../shared/wire'
import { relayToOpener } from './popup'

type Call = <T>(task: (api: Remote<WorkerApi>) => Promise<T>) => Promise<T>

/** Query parameters of an authorization response that must not stay in the address bar. */
const CALLBACK_PARAMS = ['code', 'state', 'iss', 'session_state', 'error', 'error_description', 'error_uri']

/**
 * Matches a callback URL whose `state` is a popup's (`POPUP_STATE_PREFIX`, `callback-url.ts`):
 * the worker's `state` values are URL-safe, so the parameter appears as it is.
 */
const POPUP_RESPONSE = /[?&]state=popup\./

/**
 * The callback URL without its response parameters (RFC 9700 §4.2.4: the code must not linger in
 * history or leak through `Referer`).
 */
export function cleanCallbackUrl(href: string): string {
  const url = new URL(href)
  for (const name of CALLBACK_PARAMS) url.searchParams.delete(name)
  return url.href
}

/**
 * Completes the callback at `href` once per page load however often it is asked (React
 * StrictMode runs effects twice): in this tab's worker, or, for a popup's response, in the tab
 * that opened the popup ({@link relayToOpener}). The address bar loses the response parameters
 * either way, when `href` is the page's own address.
 *
 * @param callbacks the client's callbacks of this page load, by URL
 */
export function completeRedirect(
  href: string,
  call: Call,
  callbacks: Map<string, Promise<RedirectResult>>,
  AuthError: typeof AuthErrorClass,
): Promise<RedirectResult> {
  let pending = callbacks.get(href)
  if (!pending) {
    pending = (async () => {
      try {
        return await (POPUP_RESPONSE.test(href)
          ? relayToOpener(href, AuthError)
          : call((api) => api.handleCallback(href)))
      } finally {
        if (href === location.href) history.replaceState(history.state, '', cleanCallbackUrl(href))
      }
    })()
    callbacks.set(href, pending)
  }
  return pending
}
