/**
 * How far each server's clock is from this browser's, per origin: the provider's for its ID tokens
 * and DPoP proofs, an API's for its DPoP proofs. Expiry never uses it: an access token's expiry is
 * `expires_in` by the local clock (tokens.ts).
 */

/**
 * The largest offset believed, in seconds (10 minutes): a clock further off is broken, not skewed,
 * and its times are ignored.
 */
export const MAX_CLOCK_OFFSET_SECONDS = 600

/** A change smaller than this, in seconds, is measurement noise (`Date` and `iat` are whole seconds). */
export const CLOCK_NOISE_SECONDS = 5

/** What the worker knows of other servers' clocks. */
export interface ServerClocks {
  /** Server time minus local time, in whole seconds; 0 for a server not heard from. */
  offset(origin: string): number
  /**
   * Records that the server at `origin` said it was `serverSeconds` (epoch seconds) when its answer
   * arrived, at `receivedAt` (epoch ms, local clock). A time that is not a number, or more than
   * {@link MAX_CLOCK_OFFSET_SECONDS} away, is ignored.
   *
   * @returns whether the offset moved by more than {@link CLOCK_NOISE_SECONDS}: a DPoP proof dated
   *   by the old one may have been refused for its `iat`.
   */
  observe(origin: string, serverSeconds: number, receivedAt: number): boolean
}

export function createServerClocks(): ServerClocks {
  const offsets = new Map<string, number>()
  const offset = (origin: string): number => offsets.get(origin) ?? 0
  return {
    offset,
    observe(origin, serverSeconds, receivedAt) {
      const next = Math.round(serverSeconds - receivedAt / 1000)
      // Bounded: NaN fails this test too.
      if (!(Math.abs(next) <= MAX_CLOCK_OFFSET_SECONDS)) return false
      const moved = Math.abs(next - offset(origin)) > CLOCK_NOISE_SECONDS
      offsets.set(origin, next)
      return moved
    },
  }
}

/** The worker's clocks, one table for every DPoP handle and request of this worker. */
export const serverClocks: ServerClocks = createServerClocks()

/**
 * The `Date` of a response (RFC 9110 §6.6.1) in epoch seconds; `NaN` without one, which is what a
 * cross-origin response gives unless the server lists `Date` in `Access-Control-Expose-Headers`
 * (it is not a CORS-safelisted response header).
 */
export function dateOf(response: Response): number {
  return Date.parse(response.headers.get('date') ?? '') / 1000
}

/**
 * The `iat` of the ID token in a token response, in epoch seconds, read before the response is
 * validated; `NaN` without one. The provider issues it while answering (OpenID Connect Core §12.2:
 * a refreshed ID token's `iat` is when it was issued too), so it dates the answer by the provider's
 * clock to within the round trip; it is read the same whether or not `Date` is exposed.
 */
export async function idTokenIssuedAt(response: Response): Promise<number> {
  try {
    const body = (await response.clone().json()) as { id_token: string }
    const payload = body.id_token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')
    const { iat } = JSON.parse(atob(payload)) as { iat: unknown }
    return typeof iat === 'number' ? iat : NaN
  } catch {
    return NaN
  }
}

/** Epoch seconds a token endpoint response was sent at: its `Date` when readable, else its ID token's `iat`. */
export async function providerTimeOf(response: Response): Promise<number> {
  return dateOf(response) || idTokenIssuedAt(response)
}
