import * as oauth from 'oauth4webapi'

/** Whether `hostname` (as `URL.hostname` gives it) is a loopback address (RFC 8252 §7.3). */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true
  if (hostname === '[::1]') return true
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
}

/**
 * oauth4webapi's opt-in to plain HTTP, for a loopback `url` only: configuration validation has
 * already refused plain HTTP anywhere else (RFC 9700 §2.6, RFC 8252 §7.3).
 */
export function loopbackHttp(url: URL): { [oauth.allowInsecureRequests]?: true } {
  return url.protocol === 'http:' && isLoopbackHost(url.hostname) ? { [oauth.allowInsecureRequests]: true } : {}
}
