/**
 * The attacker's next step, from Node: use a token taken from the browser somewhere else. With no
 * proof, or with a DPoP proof (RFC 9449 §4.2) signed by a key of the attacker's own, since the
 * browser's key cannot be exported.
 */
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { createHash, randomUUID } from 'node:crypto'
import * as demo from '../../demo/spa/settings.js'

export type Proof = 'none' | 'own-key'

async function ownKeyProof(htm: string, htu: string, accessToken?: string, nonce?: string): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair('ES256')
  const claims: Record<string, unknown> = { jti: randomUUID(), htm, htu }
  if (accessToken) claims.ath = createHash('sha256').update(accessToken).digest('base64url')
  if (nonce) claims.nonce = nonce
  return new SignJWT(claims)
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: await exportJWK(publicKey) })
    .setIssuedAt()
    .sign(privateKey)
}

/** The token endpoint's answer to a refresh (RFC 6749 §6) from outside the browser. */
export async function refreshFromNode(refreshToken: string, proof: Proof): Promise<{ status: number; error: unknown }> {
  const metadata = (await (await fetch(`${demo.issuer}/.well-known/openid-configuration`)).json()) as {
    token_endpoint: string
  }
  const body = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: demo.clientId,
  })
  let nonce: string | undefined
  for (;;) {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
    if (proof === 'own-key') headers.dpop = await ownKeyProof('POST', metadata.token_endpoint, undefined, nonce)
    const response = await fetch(metadata.token_endpoint, { method: 'POST', headers, body })
    const answer = (await response.json()) as { error?: unknown }
    // RFC 9449 §8: a provider that wants a nonce asks once.
    const offered = response.headers.get('dpop-nonce')
    if (answer.error === 'use_dpop_nonce' && offered && nonce === undefined) {
      nonce = offered
      continue
    }
    return { status: response.status, error: answer.error }
  }
}

/** The API's status for `url` called from outside the browser with `accessToken`. */
export async function callApiFromNode(url: string, accessToken: string, proof: Proof): Promise<number> {
  const headers: Record<string, string> =
    proof === 'none'
      ? { authorization: `Bearer ${accessToken}` }
      : { authorization: `DPoP ${accessToken}`, dpop: await ownKeyProof('GET', url, accessToken) }
  return (await fetch(url, { headers })).status
}
