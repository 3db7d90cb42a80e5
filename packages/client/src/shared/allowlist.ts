/**
 * Decides whether a request URL is an allowed target for credentials.
 *
 * Entries are origins (`https://api.example.com`) or an origin plus a path prefix
 * (`https://api.example.com/v1/`), as given or as `resolveConfig` normalised them: both match the
 * same URLs. A prefix matches at a path-segment boundary: `/v1` allows `/v1` and `/v1/x`, not
 * `/v10`. URLs are compared after the WHATWG URL parser has resolved dot segments, so
 * `/v1/../admin` is `/admin`.
 *
 * @throws TypeError for an entry that is not an absolute URL.
 */
export function createAllowlist(entries: readonly string[]): (url: string | URL) => boolean {
  const rules = entries.map((entry) => {
    const url = new URL(entry)
    const path = entry === url.origin ? null : url.pathname
    return { origin: url.origin, path }
  })
  return (target) => {
    let url: URL
    try {
      url = new URL(target)
    } catch {
      return false
    }
    if (url.username || url.password) return false
    return rules.some((rule) => {
      if (rule.origin !== url.origin) return false
      if (rule.path === null) return true
      if (rule.path.endsWith('/')) return url.pathname.startsWith(rule.path)
      return url.pathname === rule.path || url.pathname.startsWith(rule.path + '/')
    })
  }
}
