// @ts-check
import { randomBytes } from 'node:crypto'

/**
 * Resource-server-issued DPoP nonces (RFC 9449 §9): a fresh value every `rotateMs`, and the previous
 * one still accepted so a proof made just before a rotation does not bounce.
 *
 * @param {{ rotateMs?: number, now?: () => number }} [options]
 * @returns {{ current(): string, accepts(nonce: unknown): boolean }}
 */
export function createDpopNonces({ rotateMs = 30_000, now = Date.now } = {}) {
  const fresh = () => randomBytes(16).toString('base64url')
  let current = fresh()
  let previous = current
  let rotatedAt = now()

  function rotateIfDue() {
    if (now() - rotatedAt < rotateMs) return
    previous = current
    current = fresh()
    rotatedAt = now()
  }

  return {
    current() {
      rotateIfDue()
      return current
    },
    accepts(nonce) {
      rotateIfDue()
      return typeof nonce === 'string' && (nonce === current || nonce === previous)
    },
  }
}
