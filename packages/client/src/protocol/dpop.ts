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

/** oauth4webapi's proof step, which its requests call on the handle (internal to it; pinned version). */
type AddProof = (url: URL, headers: Headers, htm: string, accessToken?: string) => Promise<void>

/**
 * A DPoP handle that signs proofs and remembers server nonces per origin (RFC 9449 §8, §9). It needs
 * the client only, not the provider's metadata: a restored session signs without discovery. Each
 * proof's `iat` is by the clock of the server it is for, as far as `clocks` knows it (RFC 9449
 * §4.2, §11.1).
 *
 * A proof's `ath` is hashed once per access token, not once per request: the hash is an
 * asynchronous WebCrypto call, about a tenth of a millisecond on the request's critical path.
 */
export function createDPoPHandle(
  client: oauth.Client,
  keyPair: CryptoKeyPair,
  clocks: ServerClocks = serverClocks,
): oauth.DPoPHandle {
  /** The `ath` of the proof being made, from the call to oauth4webapi's step to its hook, in one task. */
  let ath: string | undefined
  /** The last access token and its `ath`: the same token is sent again and again until it is refreshed. */
  let last: [string, Promise<string>] | undefined
  /** Once a first proof is made, oauth4webapi has its header and runs the hook in the caller's task. */
  let warm = false
  const handle = oauth.DPoP(client, keyPair, {
    [oauth.modifyAssertion]: (_header, payload) => {
      // `htu` is the target's origin and path (RFC 9449 §4.2), which oauth4webapi just wrote.
      payload.iat = (payload.iat as number) + clocks.offset(new URL(payload.htu as string).origin)
      // RFC 9449 §4.2: `ath`, base64url of the SHA-256 of the token, as PKCE's S256 is of its verifier.
      if (ath) payload.ath = ath
      ath = undefined
    },
  }) as oauth.DPoPHandle & { addProof: AddProof }
  const addProof = handle.addProof.bind(handle)
  handle.addProof = async (url, headers, htm, accessToken) => {
    if (!accessToken || !warm) {
      const made = addProof(url, headers, htm, accessToken)
      void made.then(
        () => (warm = true),
        () => {},
      )
      return made
    }
    if (last?.[0] !== accessToken) last = [accessToken, oauth.calculatePKCECodeChallenge(accessToken)]
    const hash = await last[1]
    // No await between here and the hook: `ath` is this call's.
    ath = hash
    return addProof(url, headers, htm)
  }
  return handle
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
