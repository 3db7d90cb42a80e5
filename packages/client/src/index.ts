export { createAuthClient } from './client/create-auth-client'
export { AuthError, isAuthError, AUTH_ERROR_CODES } from './shared/errors'
export type { AuthErrorCode, AuthErrorDetails } from './shared/errors'
export type {
  ApiOptions,
  AuthClient,
  AuthClientOptions,
  AuthState,
  AuthWorkerOptions,
  LoginOptions,
  LogoutOptions,
  Persistence,
  RedirectResult,
  UserClaims,
} from './shared/types'
