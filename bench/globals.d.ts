import type { AuthClient } from '@oauth-enclave/client'

/** The variants every scenario of bench/bench.js compares. */
export type Variant = 'plain' | 'bearer' | 'dpop' | 'axa' | 'oidcClientTs' | 'control'
/** What `window.benchMeasure` measures, one round of it. */
export type MeasureKind = 'latency' | 'concurrent' | 'download' | 'upload'

declare global {
  interface Window {
    /** A Bearer client with `persistence: 'memory'`, logged in on the demo's second redirect URI. */
    bearer: AuthClient
    /** A peer's page (bench/peers): how it sends an authenticated request, as its apps would. */
    peer: { fetch: (url: string, init?: RequestInit) => Promise<Response>; signedIn: boolean }
    /** How each variant this page runs sends a request. */
    benchSend: Record<Variant, (url: string, init?: RequestInit) => Promise<Response>>
    /**
     * One round of `kind` for variant `name`: latency, `count` times ms; concurrent, requests/s;
     * upload, ms; download, [ms, page heap peak over the start in bytes, largest chunk in bytes].
     */
    benchMeasure(kind: MeasureKind, name: Variant, options: { api: string; count: number }): Promise<number[]>
  }
  /** The servers the peers' pages talk to (bench/peers.js). */
  const __PEERS__: { issuer: string; clientId: string; scope: string; apiOrigin: string }
}
