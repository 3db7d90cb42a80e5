import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TRANSACTION_TTL_MS } from '../../src/protocol/authorization'
import { AuthError } from '../../src/shared/errors'
import { beginLogin, completeLogin, type CallbackDeps, type CompletedLogin } from '../../src/worker/login'
import { transactionKeysRecord, transactionRecord } from '../../src/worker/vault-records'
import { createMemoryVault } from '../../src/worker/vault'
import { callbackRecipe, callbackUrl } from '../support/arbitraries'
import {
  ISSUER,
  LOGIN_FAILURE_CODES,
  NO_STEP_UP,
  REDIRECT_URI,
  callbackFor,
  grantFor,
  jsonResponse,
  providerContext,
  redeems,
  validTokenResponse,
} from '../support/fake-provider'

async function settle(promise: Promise<CompletedLogin>): Promise<{ login?: CompletedLogin; error?: unknown }> {
  try {
    return { login: await promise }
  } catch (error) {
    return { error }
  }
}

describe('completeLogin against arbitrary callbacks for a real transaction', () => {
  it('logs in only from the exact callback, exchanges no code from a refused one, and uses each transaction once', async () => {
    let completed = 0
    await fc.assert(
      fc.asyncProperty(
        callbackRecipe,
        fc.boolean(),
        fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
        async (recipe, dpop, expired) => {
          let tokenRequests = 0
          let redeemed = false
          // A token endpoint that redeems the code it issued, for its PKCE verifier, once.
          const ctx = providerContext(async (_url, init) => {
            tokenRequests++
            if (redeemed || !(await redeems(grant, init.body))) return jsonResponse(400, { error: 'invalid_grant' })
            redeemed = true
            return validTokenResponse(grant.nonce)
          })
          let clock = Date.now()
          const deps: CallbackDeps = { vault: createMemoryVault(), popups: new Map(), now: () => clock, dpop }
          const input = {
            redirectUri: REDIRECT_URI,
            scope: 'openid',
            returnTo: null,
            extraParams: {},
            ...NO_STEP_UP,
            dpop,
          }
          const grant = grantFor((await beginLogin(ctx, input, deps)).url)

          const url = callbackUrl(recipe, { redirectUri: REDIRECT_URI, state: grant.state, code: grant.code })
          const params = url.searchParams
          if (expired) clock += TRANSACTION_TTL_MS + 1
          const first = await settle(completeLogin(ctx, url, deps))
          const namesTransaction = params.get('state') === grant.state

          if (first.login) {
            completed++
            expect(expired).toBe(false)
            expect(params.getAll('state')).toEqual([grant.state])
            expect(params.getAll('iss')).toEqual([ISSUER])
            expect(params.getAll('code')).toEqual([grant.code])
            expect(params.get('error') ?? '').toBe('')
            expect(first.login.tokens.accessToken).toEqual(expect.any(String))
          } else {
            expect(first.error).toBeInstanceOf(AuthError)
            expect(LOGIN_FAILURE_CODES).toContain((first.error as AuthError).code)
            // The code goes to the token endpoint only after iss, state and expiry passed.
            if (tokenRequests > 0) {
              expect(namesTransaction && params.get('iss') === ISSUER && !expired).toBe(true)
            }
          }
          // A callback that named the transaction consumed it, whatever the outcome; its DPoP key too.
          if (namesTransaction) {
            const left = await deps.vault.readWithKeys(
              transactionRecord(grant.state),
              transactionKeysRecord(grant.state),
            )
            expect(left).toEqual({ value: undefined, keys: undefined })
          }

          // RFC 6749 §10.12: the real callback, now, works only if the transaction is still there.
          clock = Date.now()
          const replay = await settle(completeLogin(ctx, callbackFor(grant), deps))
          if (namesTransaction) {
            expect((replay.error as AuthError | undefined)?.code).toBe('invalid_state')
          } else {
            expect(replay.error).toBeUndefined()
          }
        },
      ),
      { numRuns: 200 },
    )
    expect(completed).toBeGreaterThan(0)
  })
})
