/**
 * Decides whether a request URL is an allowed target for credentials, and which entry it matches.
 *
 * Entries are origins (`https://api.example.com`) or an origin plus a path prefix
 * (`https://api.example.com/v1/`), as given or as `resolveConfig` normalised them, as a string or as
 * an object's `url`: both match the same URLs. A prefix matches at a path-segment boundary: `/v1`
 * allows `/v1` and `/v1/x`, not `/v10`. URLs are compared after the WHATWG URL parser has resolved
 * dot segments, so `/v1/../admin` is `/admin`.
 */

/** An allowlist entry: a URL string, or an object whose `url` is one. */
export type AllowlistEntry = string | { readonly url: string }

interface Rule<E> {
  readonly entry: E
  readonly origin: string
  /** `null`: the whole origin. */
  readonly path: string | null
}

function toRule<E extends AllowlistEntry>(entry: E): Rule<E> {
  // A string has no `url`.
  const source = (entry as { url?: string }).url ?? (entry as string)
  const url = new URL(source)
  return { entry, origin: url.origin, path: source === url.origin ? null : url.pathname }
}

function matches(rule: Rule<unknown>, url: URL): boolean {
  if (rule.origin !== url.origin) return false
  if (rule.path === null) return true
  if (rule.path.endsWith('/')) return url.pathname.startsWith(rule.path)
  return url.pathname === rule.path || url.pathname.startsWith(rule.path + '/')
}

/** The URL to match, or `null` for one that does not parse or carries user info. */
function parseTarget(target: string | URL): URL | null {
  let url: URL
  try {
    url = new URL(target)
  } catch {
    return null
  }
  return url.username || url.password ? null : url
}

/**
 * Whether a URL matches any entry: what the page asks before it sends a request to the worker.
 *
 * @throws TypeError for an entry that is not an absolute URL.
 */
export function createAllowlist(entries: readonly AllowlistEntry[]): (url: string | URL) => boolean {
  const rules = entries.map(toRule)
  return (target) => {
    const url = parseTarget(target)
    return !!url && rules.some((rule) => matches(rule, url))
  }
}

/**
 * The entry a URL matches, the most specific (longest path; a whole origin is the least) when
 * several do, the first listed among equals; `undefined` when none does.
 *
 * @throws TypeError for an entry that is not an absolute URL.
 */
export function createTargetSelector<E extends AllowlistEntry>(
  entries: readonly E[],
): (url: string | URL) => E | undefined {
  const rules = entries.map(toRule)
  const specificity = (rule: Rule<E>): number => rule.path?.length ?? -1
  return (target) => {
    const url = parseTarget(target)
    let best: Rule<E> | undefined
    if (url === null) return undefined
    for (const rule of rules) {
      if (matches(rule, url) && (best === undefined || specificity(rule) > specificity(best))) best = rule
    }
    return best?.entry
  }
}
