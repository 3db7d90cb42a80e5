import * as oauth from 'oauth4webapi'
import { serverClocks, type ServerClocks } from './clock-skew'
import type { ProviderContext } from './provider'

/**
 * A new non-extractable ECDSA P-256 key pair for DPoP proofs (RFC 9449 §2, ES256). The private key
 * can sign inside this browser profile and cannot be exported from it.
 */
export async function generateDPoPKeyPair(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])
}

/**
 * A DPoP handle that signs proofs and remembers server nonces per origin (RFC 9449 §8, §9). It needs
 * the client only, not the provider's metadata: a restored session signs without discovery. Each
 * proof's `iat` is by the clock of the server it is for, as far as `clocks` knows it (RFC 9449
 * §4.2, §11.1).
 */
export function createDPoPHandle(
  client: oauth.Client,
  keyPair: CryptoKeyPair,
  clocks: ServerClocks = serverClocks,
): oauth.DPoPHandle {
  return oauth.DPoP(client, keyPair, {
    [oauth.modifyAssertion]: (_header, payload) => {
      // `htu` is the target's origin and path (RFC 9449 §4.2), which oauth4webapi just wrote.
      payload.iat = (payload.iat as number) + clocks.offset(new URL(payload.htu as string).origin)
    },
  })
}

/** Whether the provider advertises DPoP (RFC 9449 §5.1). */
export function providerSupportsDPoP(ctx: ProviderContext): boolean {
  const algs = ctx.as.dpop_signing_alg_values_supported
  return Array.isArray(algs) && algs.length > 0
}

/**
 * Runs `attempt` and, when the server asks for a fresh DPoP nonce, runs it once more
 * (RFC 9449 §8.2, §9.1). The handle has already cached the new nonce.
 */
export async function withDPoPNonceRetry<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt()
  } catch (error) {
    if (!oauth.isDPoPNonceError(error)) throw error
    return attempt()
  }
}
