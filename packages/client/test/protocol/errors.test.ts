import * as oauth from 'oauth4webapi'
import { describe, expect, it } from 'vitest'
import { challengeError, stepUpError, toAuthError } from '../../src/protocol/errors'
import { AuthError } from '../../src/shared/errors'
import { providerContext } from '../support/fake-provider'

/** What oauth4webapi throws for `response` from the token endpoint. */
async function thrownFor(response: Response): Promise<unknown> {
  const ctx = providerContext(async () => response)
  return oauth.processRefreshTokenResponse(ctx.as, ctx.client, response).then(
    () => new Error('processed without an error'),
    (e: unknown) => e,
  )
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

function challenge(status: number, header: string): Promise<unknown> {
  return oauth
    .protectedResourceRequest('at', 'GET', new URL('https://api.example.test/'), new Headers(), null, {
      [oauth.customFetch]: async () => new Response(null, { status, headers: { 'www-authenticate': header } }),
    })
    .then(
      () => new Error('no challenge'),
      (e: unknown) => e,
    )
}

const operationError = (code: string, cause?: unknown) =>
  new oauth.OperationProcessingError('bad claim', { code, ...(cause !== undefined && { cause }) })

describe('toAuthError', () => {
  it.each<[string, () => unknown | Promise<unknown>, Partial<AuthError>]>([
    [
      'an OAuth error response',
      () => thrownFor(json(400, { error: 'invalid_grant' })),
      { code: 'token_error', oauthError: 'invalid_grant', status: 400 },
    ],
    [
      'an authorization response error',
      () =>
        new oauth.AuthorizationResponseError('refused', {
          cause: new URLSearchParams({ error: 'access_denied' }),
        }),
      { code: 'authorization_error', oauthError: 'access_denied' },
    ],
    ...['login_required', 'interaction_required', 'consent_required', 'account_selection_required'].map(
      (error): [string, () => unknown, Partial<AuthError>] => [
        `a prompt=none refusal (${error}, OpenID Connect Core §3.1.2.6)`,
        () => new oauth.AuthorizationResponseError('refused', { cause: new URLSearchParams({ error }) }),
        { code: 'login_required', oauthError: error },
      ],
    ),
    [
      'a challenge with an error',
      () => challenge(401, 'Bearer error="invalid_token"'),
      { code: 'token_error', oauthError: 'invalid_token', status: 401 },
    ],
    ['a challenge without an error', () => challenge(401, 'Bearer realm="api"'), { code: 'token_error', status: 401 }],
    ['an unsupported operation', () => new oauth.UnsupportedOperationError('JWE'), { code: 'invalid_response' }],
    [
      'a failed ID token claim comparison',
      () => operationError(oauth.JWT_CLAIM_COMPARISON),
      { code: 'invalid_id_token' },
    ],
    [
      'a failed ID token timestamp check',
      () => operationError(oauth.JWT_TIMESTAMP_CHECK),
      { code: 'invalid_id_token' },
    ],
    ['a processing error over claims', () => operationError('OAUTH_X', { claims: {} }), { code: 'invalid_id_token' }],
    ['any other processing error', () => operationError(oauth.INVALID_RESPONSE), { code: 'invalid_response' }],
    ['a timeout', () => new DOMException('slow', 'TimeoutError'), { code: 'network_error' }],
    ['an abort', () => new DOMException('stop', 'AbortError'), { code: 'network_error' }],
    ['another DOMException', () => new DOMException('no', 'NotAllowedError'), { code: 'invalid_response' }],
    [
      "oauth4webapi's coded TypeError",
      () => Object.assign(new TypeError('"as" must be an object'), { code: 'ERR_INVALID_ARG_TYPE' }),
      { code: 'invalid_response' },
    ],
    ["fetch's bare TypeError", () => new TypeError('Failed to fetch'), { code: 'network_error' }],
    ['anything else', () => 'a string', { code: 'invalid_response' }],
  ])('maps %s', async (_, make, expected) => {
    const mapped = toAuthError(await make(), 'token request')
    expect(mapped).toBeInstanceOf(AuthError)
    expect(mapped).toMatchObject(expected)
    expect(mapped.message).toMatch(/token request|authorization/)
    if (!('status' in expected)) expect(mapped.status).toBeUndefined()
    if (!('oauthError' in expected)) expect(mapped.oauthError).toBeUndefined()
  })

  it('keeps an AuthError as it is', () => {
    const error = new AuthError('login_required', 'ended')
    expect(toAuthError(error, 'refresh')).toBe(error)
  })

  it('drops what the cause held, keeping only codes and our own words', async () => {
    const secret = 'at-secret-value'
    const mapped = toAuthError(await thrownFor(json(400, { error: 'invalid_grant', access_token: secret })), 'step')
    expect(JSON.stringify({ ...mapped, message: mapped.message })).not.toContain(secret)
    expect(mapped.cause).toBeUndefined()
  })
})

describe('challengeError', () => {
  it("reads a challenge's error, and nothing from anything else", async () => {
    expect(challengeError(await challenge(401, 'DPoP error="use_dpop_nonce"'))).toBe('use_dpop_nonce')
    expect(challengeError(await challenge(401, 'Bearer realm="x"'))).toBeUndefined()
    expect(challengeError(new Error('x'))).toBeUndefined()
  })
})

describe('stepUpError (RFC 9470 §3)', () => {
  it('maps a 401 insufficient_user_authentication to step_up_required with acrValues and maxAge', async () => {
    const error = stepUpError(
      await challenge(
        401,
        'DPoP algs="ES256", Bearer error="insufficient_user_authentication", error_description="more", acr_values="urn:a urn:b", max_age="0"',
      ),
    )
    expect(error).toBeInstanceOf(AuthError)
    expect(error).toMatchObject({ code: 'step_up_required', acrValues: 'urn:a urn:b', maxAge: 0, status: 401 })
  })

  it('keeps only what the challenge gave, and ignores a max_age that is not a whole number', async () => {
    const onlyAcr = stepUpError(
      await challenge(401, 'Bearer error="insufficient_user_authentication", acr_values="urn:a"'),
    )
    expect(onlyAcr).toMatchObject({ code: 'step_up_required', acrValues: 'urn:a' })
    expect(onlyAcr).not.toHaveProperty('maxAge')
    const badAge = stepUpError(await challenge(401, 'Bearer error="insufficient_user_authentication", max_age="-5"'))
    expect(badAge).not.toHaveProperty('maxAge')
    expect(badAge).not.toHaveProperty('acrValues')
  })

  it('is undefined for any other challenge, another status, or another error', async () => {
    expect(stepUpError(await challenge(401, 'Bearer error="invalid_token"'))).toBeUndefined()
    expect(stepUpError(await challenge(403, 'Bearer error="insufficient_user_authentication"'))).toBeUndefined()
    expect(stepUpError(new Error('insufficient_user_authentication'))).toBeUndefined()
  })
})
