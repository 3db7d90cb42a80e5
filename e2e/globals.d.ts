import type { AuthClient } from '@oauth-enclave/client'

declare global {
  interface Window {
    /** The demo SPA's client (demo/spa/src/main.ts). */
    auth: AuthClient
  }
}
