/**
 * What the page loads only when it needs it, as one chunk behind one `import()`: each lazy import
 * costs the page's up-front code an expression of its own, so they share this one. Nothing here
 * imports anything at run time: the library build ships it as a file of its own (`dist/on-demand.js`).
 *
 * - the worker-start diagnosis (`worker-diagnosis.ts`), loaded only once something has failed;
 * - the popup login (`popup.ts`), loaded by `loginWithPopup`;
 * - the redirect callback (`redirect-callback.ts`), loaded by `handleRedirectCallback` on the
 *   callback page, a fresh page load of the same deployment;
 * - the idle timeout's activity watch (`activity.ts`), loaded only with `idleTimeoutSeconds`.
 */
export { diagnose, reportPolicyTaken } from './worker-diagnosis'
export { loginInPopup } from './popup'
export { completeRedirect } from './redirect-callback'
export { watchActivity } from './activity'
