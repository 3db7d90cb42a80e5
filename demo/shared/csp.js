// @ts-check
/**
 * The strict Content-Security-Policy the demo apps and the e2e consumer apps are served with, the
 * one an app using the SDK needs (README, Security).
 */

/**
 * Scripts and workers from the app's own origin only (no `blob:` worker, no inline script, no
 * eval); connections to its own origin and `connect`; no `<base>`, forms to itself only, never
 * framed.
 *
 * @param {object} options
 * @param {string[]} options.connect origins the page and its worker may connect to besides their own
 * @param {boolean} [options.ownAssets] styles, images and the web manifest from the app's own origin
 * @param {string} [options.trustedTypesPolicy] enforce Trusted Types for DOM XSS sinks, with these
 *   policies (space-separated) allowed
 * @returns {string}
 */
export function strictContentSecurityPolicy({ connect, ownAssets = false, trustedTypesPolicy }) {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "worker-src 'self'",
    `connect-src ${["'self'", ...connect].join(' ')}`,
    ...(ownAssets ? ["style-src 'self'", "img-src 'self'", "manifest-src 'self'"] : []),
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(trustedTypesPolicy ? ["require-trusted-types-for 'script'", `trusted-types ${trustedTypesPolicy}`] : []),
  ].join('; ')
}
