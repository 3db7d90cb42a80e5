/** Query parameters of an authorization response that must not stay in the address bar. */
const CALLBACK_PARAMS = ['code', 'state', 'iss', 'session_state', 'error', 'error_description', 'error_uri']

/**
 * The callback URL without its response parameters (RFC 9700 §4.2.4: the code must not linger in
 * history or leak through `Referer`).
 */
export function cleanCallbackUrl(href: string): string {
  const url = new URL(href)
  for (const name of CALLBACK_PARAMS) url.searchParams.delete(name)
  return url.href
}

/** Replaces the address bar's URL without a navigation, keeping `history.state`. */
export function replaceAddress(href: string): void {
  history.replaceState(history.state, '', href)
}

/** Navigates the page. */
export function navigate(href: string): void {
  location.assign(href)
}
