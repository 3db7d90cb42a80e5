/** The public API as a consumer sees it: its runtime exports and, through `tsc`, its types. */
import { describe, expect, expectTypeOf, it } from 'vitest'
import * as sdk from '../src/index'
import {
  AUTH_ERROR_CODES,
  AuthError,
  createAuthClient,
  isAuthError,
  type AuthClient,
  type AuthClientOptions,
  type AuthErrorCode,
  type AuthState,
  type LoginOptions,
  type LogoutOptions,
  type RedirectResult,
  type UserClaims,
} from '../src/index'

describe('public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(sdk).sort()).toEqual(['AUTH_ERROR_CODES', 'AuthError', 'createAuthClient', 'isAuthError'])
  })

  it('has a closed union of error codes, listed at runtime too', () => {
    expectTypeOf<AuthErrorCode>().toEqualTypeOf<
      | 'config_error'
      | 'invalid_state'
      | 'invalid_issuer'
      | 'authorization_error'
      | 'token_error'
      | 'invalid_response'
      | 'invalid_id_token'
      | 'login_required'
      | 'idle_timeout'
      | 'step_up_required'
      | 'popup_blocked'
      | 'popup_closed'
      | 'network_error'
      | 'worker_error'
    >()
    expectTypeOf(AUTH_ERROR_CODES).toExtend<readonly AuthErrorCode[]>()
    expectTypeOf<(typeof AUTH_ERROR_CODES)[number]>().toEqualTypeOf<AuthErrorCode>()
    expectTypeOf(AUTH_ERROR_CODES[0]).toEqualTypeOf<'config_error'>()
    expect(new Set(AUTH_ERROR_CODES).size).toBe(14)
    // @ts-expect-error not a code
    new AuthError('no_such_code', 'x')
  })

  it('narrows with isAuthError, with or without a code', () => {
    const error: unknown = new AuthError('token_error', 'refused', { oauthError: 'invalid_grant', status: 400 })
    if (isAuthError(error)) {
      expectTypeOf(error).toEqualTypeOf<AuthError>()
      expectTypeOf(error.code).toEqualTypeOf<AuthErrorCode>()
      expectTypeOf(error.oauthError).toEqualTypeOf<string | undefined>()
      expectTypeOf(error.status).toEqualTypeOf<number | undefined>()
    } else {
      expectTypeOf(error).toBeUnknown()
    }
    expectTypeOf(isAuthError).parameter(1).toEqualTypeOf<AuthErrorCode | undefined>()
    // @ts-expect-error not a code
    isAuthError(error, 'no_such_code')
    expect(isAuthError(error, 'token_error')).toBe(true)
    expect(isAuthError(error, 'login_required')).toBe(false)
    expect(isAuthError(new Error('x'))).toBe(false)
  })

  it('gives AuthClient exactly its members, with these signatures', () => {
    expectTypeOf(createAuthClient).parameter(0).toEqualTypeOf<AuthClientOptions>()
    expectTypeOf(createAuthClient).returns.toEqualTypeOf<AuthClient>()
    expectTypeOf<keyof AuthClient>().toEqualTypeOf<
      | 'login'
      | 'loginWithPopup'
      | 'isRedirectCallback'
      | 'handleRedirectCallback'
      | 'isAuthenticated'
      | 'getUser'
      | 'getState'
      | 'fetch'
      | 'logout'
      | 'subscribe'
      | 'close'
    >()
    expectTypeOf<AuthClient['fetch']>().toEqualTypeOf<
      (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>
    >()
    expectTypeOf<AuthClient['getState']>().returns.toEqualTypeOf<Promise<AuthState>>()
    expectTypeOf<AuthClient['getUser']>().returns.toEqualTypeOf<Promise<UserClaims | null>>()
    expectTypeOf<AuthClient['handleRedirectCallback']>().returns.toEqualTypeOf<Promise<RedirectResult>>()
    expectTypeOf<AuthClient['subscribe']>().parameter(0).toEqualTypeOf<(state: AuthState) => void>()
    expectTypeOf<AuthClient['subscribe']>().returns.toEqualTypeOf<() => void>()
    expectTypeOf<AuthState['reason']>().toEqualTypeOf<AuthErrorCode | undefined>()
  })

  it('takes step-up and resource options at login, id_token_hint at logout, and says what a step-up needs', () => {
    expectTypeOf<keyof LoginOptions>().toEqualTypeOf<
      'returnTo' | 'extraParams' | 'acrValues' | 'maxAge' | 'resource' | 'prompt'
    >()
    expectTypeOf<LoginOptions['resource']>().toEqualTypeOf<string | string[] | undefined>()
    expectTypeOf<LogoutOptions['idTokenHint']>().toEqualTypeOf<boolean | undefined>()
    expectTypeOf<AuthClientOptions['par']>().toEqualTypeOf<boolean | undefined>()
    expectTypeOf<AuthError['acrValues']>().toEqualTypeOf<string | undefined>()
    expectTypeOf<AuthError['maxAge']>().toEqualTypeOf<number | undefined>()
  })

  it('keeps the options plain: a worker is the one non-data option', () => {
    expectTypeOf<AuthClientOptions['worker']>().toEqualTypeOf<Worker | (() => Worker) | undefined>()
    expectTypeOf<Pick<AuthClientOptions, 'issuer' | 'clientId' | 'redirectUri'>>().toEqualTypeOf<{
      issuer: string
      clientId: string
      redirectUri: string
    }>()
  })
})
