import fc from 'fast-check'
import * as oauth from 'oauth4webapi'
import { describe, expect, it } from 'vitest'
import { validateCallback } from '../../src/protocol/callback'
import { exchangeCode, type TokenSet } from '../../src/protocol/tokens'
import { AuthError } from '../../src/shared/errors'
import { acceptable, tokenResponse, tokenResponseRecipe, tokenValuesIn } from '../support/arbitraries'
import { ISSUER, LOGIN_FAILURE_CODES, providerContext, REDIRECT_URI, SUBJECT } from '../support/fake-provider'

/** What a code exchange can fail with: everything after the callback was accepted. */
const EXCHANGE_CODES = ['invalid_response', 'token_error', 'network_error', 'invalid_id_token'] as const

describe('exchangeCode against arbitrary token endpoint answers', () => {
  it('yields a TokenSet exactly for valid answers, otherwise an AuthError of a login code that names no token', async () => {
    const state = oauth.generateRandomState()
    const nonce = oauth.generateRandomNonce()
    let accepted = 0
    const callback = new URL(REDIRECT_URI)
    callback.search = new URLSearchParams({ code: 'the-code', state, iss: ISSUER }).toString()

    await fc.assert(
      fc.asyncProperty(tokenResponseRecipe, async (recipe) => {
        const ctx = providerContext(() => tokenResponse(recipe, nonce))
        const callbackParams = validateCallback(ctx, callback, state)
        let result: TokenSet | undefined
        let failure: unknown
        try {
          result = await exchangeCode(
            ctx,
            {
              callbackParams,
              redirectUri: REDIRECT_URI,
              codeVerifier: oauth.generateRandomCodeVerifier(),
              nonce,
              maxAge: null,
            },
            { dpop: null, now: Date.now },
          )
        } catch (error) {
          failure = error
        }
        if (result) {
          accepted++
          expect(acceptable(recipe), 'accepted an answer a correct client refuses').toBe(true)
          expect(tokenValuesIn(recipe)).toContain(result.accessToken)
          expect(result.tokenType).toBe('Bearer')
          expect(result.claims?.sub).toBe(SUBJECT)
          return
        }
        expect(failure).toBeInstanceOf(AuthError)
        const error = failure as AuthError
        expect(EXCHANGE_CODES).toContain(error.code)
        expect(LOGIN_FAILURE_CODES).toContain(error.code)
        expect(acceptable(recipe), `refused a valid answer: ${error.code} ${error.message}`).toBe(false)
        for (const token of tokenValuesIn(recipe)) {
          expect(error.message).not.toContain(token)
          expect(error.oauthError ?? '').not.toContain(token)
        }
      }),
      { numRuns: 300 },
    )
    // Not vacuous: about a quarter of the generated answers are valid.
    expect(accepted).toBeGreaterThan(0)
    expect(accepted).toBeLessThan(300)
  })
})
