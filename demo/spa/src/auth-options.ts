import type { AuthWorkerOptions } from '@oauth-enclave/client'

const config = __DEMO_CONFIG__

/**
 * The demo's configuration, imported by the page (`main.ts`) and by its worker (`auth.worker.ts`):
 * the worker's copy is the one in effect (pinned mode), the page's must agree with it.
 */
export const authOptions: AuthWorkerOptions = {
  issuer: config.issuer,
  clientId: config.clientId,
  redirectUri: `${location.origin}/callback`,
  postLogoutRedirectUri: `${location.origin}/`,
  scope: config.scope,
  allowedOrigins: [`${config.apiOrigin}/api/`],
}
