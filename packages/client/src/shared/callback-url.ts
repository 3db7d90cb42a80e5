/**
 * Whether `url` is `redirectUri` carrying an authorization response: `code` and `state`, or
 * `error` (RFC 6749 §4.1.2, §4.1.2.1).
 */
export function isCallbackUrl(url: URL, redirectUri: string): boolean {
  const expected = new URL(redirectUri)
  if (url.origin !== expected.origin || url.pathname !== expected.pathname) return false
  const params = url.searchParams
  return (params.has('code') && params.has('state')) || params.has('error')
}

/**
 * Starts the `state` of a login in a popup (`loginWithPopup`): the popup's callback then hands the
 * response to the tab that opened it instead of completing it itself. `.` is not in base64url, so
 * no other `state` the worker makes (`oauth.generateRandomState`) starts with it.
 */
export const POPUP_STATE_PREFIX = 'popup.'
