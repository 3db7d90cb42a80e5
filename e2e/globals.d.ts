import type { AuthClient, createAuthClient } from '@oauth-enclave/client'

declare global {
  interface Window {
    /** The demo SPA's client (demo/spa/src/main.ts). */
    auth: AuthClient
    /** The SDK's factory (demo/spa/src/main.ts). */
    createAuthClient: typeof createAuthClient
    /** The demo's settings (demo/spa/src/main.ts). */
    demoConfig: { issuer: string; clientId: string; scope: string; apiOrigin: string; outsiderOrigin: string }
  }
}
