import type { AuthClient } from '@oauth-enclave/client'

/** The variants every scenario of bench/bench.js compares. */
export type Variant = 'plain' | 'bearer' | 'dpop'

declare global {
  interface Window {
    /** A Bearer client with `persistence: 'memory'`, logged in on the demo's second redirect URI. */
    bearer: AuthClient
    /** How each variant sends a request. */
    benchSend: Record<Variant, (url: string, init?: RequestInit) => Promise<Response>>
    /**
     * Runs `measure` for each variant in turn, `warmup` rounds first, starting each round with the
     * next variant (A B C, B C A, …); returns the kept results per variant.
     */
    benchAlternate<T>(
      warmup: number,
      rounds: number,
      measure: (name: Variant) => Promise<T>,
    ): Promise<Record<Variant, T[]>>
  }
}
