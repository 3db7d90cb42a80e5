import { resolve } from 'node:path'

/**
 * A Next.js app (App Router) as a user writes it, with nothing added for the SDK: Turbopack (the
 * default of `next build`) emits the package's worker file from its `new Worker(new URL(...))`.
 *
 * `output: 'export'`: `next build` prerenders every page to static files in `out/`, served like
 * any static host. The SDK needs no Node server, and a per-request CSP nonce would make every page
 * dynamic; the server allows Next's inline scripts by their hashes instead
 * (e2e/consumers/consumer-apps.ts).
 */
export default {
  output: 'export',
  // The type check and lint are the app's own CI's business, not the build's: seconds saved.
  typescript: { ignoreBuildErrors: true },
  // The consumer folder (its package-lock.json), not the repository above it with its pnpm lock.
  turbopack: { root: resolve(import.meta.dirname, '..') },
}
