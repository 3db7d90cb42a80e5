// @ts-check

/**
 * Remembers DPoP proof `jti` values for as long as their proofs could still pass the `iat` check
 * (RFC 9449 §11.1), in memory: one process, one demo.
 *
 * @param {{ ttlMs: number, now?: () => number }} options
 * @returns {{ claim(jti: string): boolean }} `claim` is false when the jti was already seen
 */
export function createReplayCache({ ttlMs, now = Date.now }) {
  /** @type {Map<string, number>} jti → expiry, in insertion (hence expiry) order */
  const seen = new Map()

  function prune() {
    const t = now()
    for (const [jti, expiresAt] of seen) {
      if (expiresAt > t) break
      seen.delete(jti)
    }
  }

  return {
    claim(jti) {
      prune()
      if (seen.has(jti)) return false
      seen.set(jti, now() + ttlMs)
      return true
    },
  }
}
