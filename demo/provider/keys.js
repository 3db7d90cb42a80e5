// @ts-check
import { randomBytes } from 'node:crypto'
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose'

/** The one JWS algorithm the demo provider signs ID tokens and JWT access tokens with. */
export const SIGNING_ALG = 'ES256'

/**
 * A fresh private JWKS for one provider run. Nothing is persisted, so every restart invalidates
 * every token issued before it: exactly what a throwaway demo wants.
 *
 * @returns {Promise<{ keys: import('jose').JWK[] }>}
 */
export async function generateSigningJwks() {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true })
  const jwk = await exportJWK(privateKey)
  // The thumbprint only reads the public members, so it is a stable, non-secret kid.
  const kid = await calculateJwkThumbprint(jwk)
  return { keys: [{ ...jwk, kid, alg: SIGNING_ALG, use: 'sig' }] }
}

/**
 * Keys for Koa's signed cookies, random per run.
 *
 * @returns {string[]}
 */
export function generateCookieKeys() {
  return [randomBytes(32).toString('base64url')]
}
