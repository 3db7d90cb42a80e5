/**
 * Which request URLs {@link authInterceptor} routes through `auth.fetch`: the rules of the client's
 * `allowedOrigins`. An entry is an origin (`https://api.example.com`) or an origin plus a path
 * prefix (`https://api.example.com/v1/`), as a string or as an object's `url`. A prefix matches at a
 * path-segment boundary: `/v1` matches `/v1` and `/v1/x`, not `/v10`. URLs are compared after the
 * WHATWG URL parser has resolved dot segments, so `/v1/../admin` is `/admin`.
 */

/** An entry of {@link ProvideAuthOptions.allowedOrigins}: a URL string, or an object whose `url` is one. */
export type TargetEntry =
  | string
  | {
      /** An origin, or an origin plus a path prefix, as strings are. */
      readonly url: string
    }

interface Rule {
  readonly origin: string
  /** `null`: the whole origin. */
  readonly path: string | null
}

function toRule(entry: TargetEntry): Rule {
  const source = typeof entry === 'string' ? entry : entry.url
  const url = new URL(source)
  return { origin: url.origin, path: source === url.origin ? null : url.pathname }
}

function matches(rule: Rule, url: URL): boolean {
  if (rule.origin !== url.origin) return false
  if (rule.path === null) return true
  if (rule.path.endsWith('/')) return url.pathname.startsWith(rule.path)
  return url.pathname === rule.path || url.pathname.startsWith(rule.path + '/')
}

/**
 * Whether a URL, resolved against the document, matches an entry. A URL with user info never does:
 * the client refuses it.
 *
 * @throws TypeError for an entry that is not an absolute URL.
 */
export function createTargetMatcher(entries: readonly TargetEntry[]): (url: string) => boolean {
  const rules = entries.map(toRule)
  return (target) => {
    let url: URL
    try {
      url = new URL(target, document.baseURI)
    } catch {
      return false
    }
    if (url.username || url.password) return false
    return rules.some((rule) => matches(rule, url))
  }
}
