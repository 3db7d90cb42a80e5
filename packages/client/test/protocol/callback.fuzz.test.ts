import fc from 'fast-check'
import * as oauth from 'oauth4webapi'
import { describe, expect, it } from 'vitest'
import { validateCallback } from '../../src/protocol/callback'
import { AuthError } from '../../src/shared/errors'
import { callbackRecipe, callbackUrl } from '../support/arbitraries'
import { ISSUER, metadata, providerContext, REDIRECT_URI } from '../support/fake-provider'

/** What validating an authorization response can fail with. */
const CALLBACK_CODES = ['invalid_issuer', 'invalid_state', 'authorization_error', 'invalid_response']

const noFetch = () => Promise.reject(new Error('validating a callback sends no request'))

/** RFC 6749 §3.1: no parameter twice; no JARM `response`, no implicit or hybrid `id_token`/`token`. */
function wellFormed(params: URLSearchParams): boolean {
  const once = ['iss', 'state', 'error'].every((name) => params.getAll(name).length <= 1)
  return once && !['response', 'id_token', 'token'].some((name) => params.has(name))
}

describe('validateCallback against arbitrary callback URLs', () => {
  it('accepts only the exact state from the issuer, checks iss first, and fails only with callback codes', () => {
    const state = oauth.generateRandomState()
    let accepted = 0
    fc.assert(
      fc.property(callbackRecipe, fc.constantFrom(true, false, undefined), (recipe, issRequired) => {
        const ctx = providerContext(noFetch, metadata({ authorization_response_iss_parameter_supported: issRequired }))
        const url = callbackUrl(recipe, { redirectUri: REDIRECT_URI, state, code: 'the-code' })
        const params = url.searchParams
        let failure: unknown
        try {
          validateCallback(ctx, url, state)
        } catch (error) {
          failure = error
        }

        // RFC 9207 §2.4, checked before anything else (RFC 9700 §4.4.2).
        const iss = params.get('iss')
        const issuerWrong = iss === null ? issRequired === true : iss !== ISSUER
        const stateWrong = params.get('state') !== state
        const error = params.get('error')

        if (failure === undefined) {
          accepted++
          expect(issuerWrong).toBe(false)
          expect(params.getAll('state')).toEqual([state])
          expect(params.getAll('iss').length).toBeLessThanOrEqual(1)
          expect(error ?? '').toBe('')
          return
        }
        expect(failure).toBeInstanceOf(AuthError)
        const { code, oauthError } = failure as AuthError
        expect(CALLBACK_CODES).toContain(code)
        if (issuerWrong) expect(code).toBe('invalid_issuer')
        else if (stateWrong) expect(code).toBe('invalid_state')
        else if (wellFormed(params) && error)
          expect({ code, oauthError }).toEqual({ code: 'authorization_error', oauthError: error })
        else expect(wellFormed(params) && !error, `refused a valid callback with ${code}`).toBe(false)
      }),
      { numRuns: 1000 },
    )
    expect(accepted).toBeGreaterThan(0)
  })
})
