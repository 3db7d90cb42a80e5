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
  // Two APIs, each with tokens for its own audience (RFC 8707): the API takes the session's
  // DPoP-bound token; its reports, an API that predates DPoP, get a Bearer token of their own.
  allowedOrigins: [
    `${config.apiOrigin}/api/`,
    {
      url: `${config.apiOrigin}/reports/`,
      scope: 'reports:read',
      resource: `${config.apiOrigin}/reports`,
      dpop: false,
    },
  ],
  // Named in the authorization request (RFC 8707 §2.1): the provider grants tokens only for these.
  resource: [`${config.apiOrigin}/`, `${config.apiOrigin}/reports`],
}
