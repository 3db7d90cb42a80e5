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
