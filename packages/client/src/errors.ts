/**
 * `@oauth-enclave/client/errors`: the SDK's error class and its guard, without the client. Code that
 * only handles errors (an error boundary, a logger, a shared UI library) imports them from here, and
 * its bundle gets neither the worker nor the client. It is the same class the client rejects with, so
 * `instanceof` holds across both imports.
 *
 * @module
 */
export { AuthError, isAuthError, AUTH_ERROR_CODES } from './shared/errors'
export type { AuthErrorCode, AuthErrorDetails } from './shared/errors'
