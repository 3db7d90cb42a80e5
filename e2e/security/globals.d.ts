import type { AuthClient } from '@oauth-enclave/client'

declare global {
  interface Window {
    /** A `persistence: 'memory'` client a security spec created on the demo page (session-scenario.ts). */
    memoryAuth?: AuthClient
  }
}

export {}
