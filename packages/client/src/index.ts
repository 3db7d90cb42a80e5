export { createAuthClient } from './client/create-auth-client'
export { AuthError, isAuthError, AUTH_ERROR_CODES } from './errors'
export type { AuthErrorCode, AuthErrorDetails } from './errors'
export type {
  ApiOptions,
  AuthClient,
  AuthClientOptions,
  AuthState,
  AuthWorkerOptions,
  IdleWarning,
  LoginOptions,
  LogoutFailure,
  LogoutOptions,
  LogoutResult,
  Persistence,
  PopupLoginOptions,
  RedirectResult,
  UserClaims,
} from './shared/types'
