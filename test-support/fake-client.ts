/**
 * A fake {@link AuthClient} for the framework adapters' tests (React, Vue, Svelte): a state the test
 * sets, the calls it received, and listeners it notifies. Each adapter's `test/support/fake-client.ts`
 * re-exports it.
 */
import type { AuthClient, AuthState, LoginOptions, RedirectResult } from '@oauth-enclave/client'
import { AuthError } from '@oauth-enclave/client'

export const SIGNED_OUT: AuthState = { authenticated: false, user: null, expiresAt: null, tokenType: null }
export const SIGNED_IN: AuthState = {
  authenticated: true,
  user: { sub: 'alice' },
  expiresAt: Date.now() + 600_000,
  tokenType: 'DPoP',
}

export interface FakeClient extends AuthClient {
  readonly calls: { handleRedirectCallback: string[]; login: LoginOptions[]; loginWithPopup: number; logout: number }
  /** Sets the state `getState` answers and tells the subscribers. */
  emit(state: AuthState): void
  /** Settles the pending redirect callback. */
  finishCallback(outcome: RedirectResult | AuthError): void
}

/**
 * An {@link AuthClient} with no worker: the callback settles when the test says, and every call is
 * counted. Unlike the real client, `handleRedirectCallback` is not idempotent, so a double effect
 * shows up as two calls.
 */
export function createFakeClient(initial: AuthState = SIGNED_OUT): FakeClient {
  let state = initial
  const listeners = new Set<(state: AuthState) => void>()
  const calls = { handleRedirectCallback: [] as string[], login: [] as LoginOptions[], loginWithPopup: 0, logout: 0 }
  let settle: { resolve(result: RedirectResult): void; reject(error: AuthError): void } | undefined
  const callback = new Promise<RedirectResult>((resolve, reject) => {
    settle = { resolve, reject }
  })
  return {
    calls,
    emit(next) {
      state = next
      for (const listener of listeners) listener(next)
    },
    finishCallback(outcome) {
      if (outcome instanceof AuthError) settle!.reject(outcome)
      else settle!.resolve(outcome)
    },
    async login(options = {}) {
      calls.login.push(options)
    },
    async loginWithPopup() {
      calls.loginWithPopup++
      return { returnTo: null, user: { sub: 'alice' } }
    },
    isRedirectCallback(url = location.href) {
      const params = new URL(url, location.href).searchParams
      return params.has('code') && params.has('state')
    },
    handleRedirectCallback(url = location.href) {
      calls.handleRedirectCallback.push(url)
      return callback
    },
    async isAuthenticated() {
      return state.authenticated
    },
    async getUser() {
      return state.user
    },
    async getState() {
      return state
    },
    fetch: async () => new Response('fake'),
    async logout() {
      calls.logout++
      return { revocation: 'revoked' }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    close() {},
  }
}
