import { createAuthClient } from '@oauth-enclave/client'

/** The API the page calls; `NEXT_PUBLIC_` variables are inlined by `next build`. */
export const apiOrigin = process.env.NEXT_PUBLIC_API_ORIGIN

/**
 * Creates the client. Not called here: `AuthProvider` calls it in the browser, after the first
 * render, never while `next build` prerenders the page (where there is no `location`, no `Worker`).
 */
export function createClient() {
  return createAuthClient({
    issuer: process.env.NEXT_PUBLIC_ISSUER,
    clientId: process.env.NEXT_PUBLIC_CLIENT_ID,
    redirectUri: `${location.origin}/callback`,
    postLogoutRedirectUri: `${location.origin}/`,
    scope: process.env.NEXT_PUBLIC_SCOPE,
    allowedOrigins: [`${apiOrigin}/api/`],
  })
}
