import { describe, expect, it } from 'vitest'
import { createAuthorizationRequest } from '../../src/protocol/authorization'
import { createDPoPHandle, generateDPoPKeyPair } from '../../src/protocol/dpop'
import { parInEffect, pushAuthorizationRequest } from '../../src/protocol/par'
import {
  CLIENT_ID,
  ISSUER,
  REDIRECT_URI,
  jsonResponse,
  metadata,
  providerContext,
  type FakeFetch,
} from '../support/fake-provider'

const PAR_ENDPOINT = `${ISSUER}/par`
const REQUEST_URI = 'urn:ietf:params:oauth:request_uri:abc'
const withPar = (extra = {}) => metadata({ pushed_authorization_request_endpoint: PAR_ENDPOINT, ...extra })
const noop: FakeFetch = async () => new Response()

interface Pushed {
  readonly url: string
  readonly body: URLSearchParams
  readonly headers: Headers
}

function parProvider(...answers: (() => Response | Promise<Response>)[]) {
  const pushed: Pushed[] = []
  const ctx = providerContext(async (url, init) => {
    pushed.push({
      url,
      body: new URLSearchParams(String(init.body)),
      headers: new Headers(init.headers as HeadersInit),
    })
    return (answers[pushed.length - 1] ?? answers.at(-1)!)()
  }, withPar())
  return { ctx, pushed }
}

const created = () => jsonResponse(201, { request_uri: REQUEST_URI, expires_in: 60 })

async function authorizationUrl(ctx = providerContext(noop, withPar())) {
  const { url } = await createAuthorizationRequest(ctx, {
    redirectUri: REDIRECT_URI,
    scope: 'openid',
    returnTo: null,
    extraParams: { login_hint: 'alice' },
    acrValues: 'urn:mfa',
    maxAge: 60,
    resource: ['https://api.example.test/', 'https://reports.example.test/'],
    dpopJkt: null,
    popup: false,
    now: Date.now(),
  })
  return url
}

describe('parInEffect (RFC 9126 §5)', () => {
  it('pushes when advertised unless told not to, and never without the endpoint', () => {
    expect(parInEffect(providerContext(noop, withPar()), null)).toBe(true)
    expect(parInEffect(providerContext(noop, withPar()), false)).toBe(false)
    expect(parInEffect(providerContext(noop), null)).toBe(false)
    expect(parInEffect(providerContext(noop), false)).toBe(false)
  })

  it('refuses par: true without the endpoint, and par: false where the provider requires it', () => {
    expect(() => parInEffect(providerContext(noop), true)).toThrow(expect.objectContaining({ code: 'config_error' }))
    const required = providerContext(noop, withPar({ require_pushed_authorization_requests: true }))
    expect(parInEffect(required, null)).toBe(true)
    expect(() => parInEffect(required, false)).toThrow(expect.objectContaining({ code: 'config_error' }))
  })
})

describe('pushAuthorizationRequest (RFC 9126 §2)', () => {
  it('pushes every parameter, resource indicators included, and leaves only client_id and request_uri in the URL', async () => {
    const { ctx, pushed } = parProvider(created)
    const full = await authorizationUrl(ctx)
    const url = await pushAuthorizationRequest(ctx, full, null)

    expect(pushed).toHaveLength(1)
    expect(pushed[0]!.url).toBe(PAR_ENDPOINT)
    for (const [name, value] of full.searchParams) expect(pushed[0]!.body.getAll(name)).toContain(value)
    expect(pushed[0]!.body.getAll('resource')).toEqual(['https://api.example.test/', 'https://reports.example.test/'])
    expect(pushed[0]!.body.get('acr_values')).toBe('urn:mfa')

    expect(url.origin + url.pathname).toBe(`${ISSUER}/authorize`)
    expect([...url.searchParams]).toEqual([
      ['client_id', CLIENT_ID],
      ['request_uri', REQUEST_URI],
    ])
  })

  it('carries a DPoP proof of the login key (RFC 9449 §10.1), and answers a nonce challenge once', async () => {
    const nonceChallenge = () =>
      new Response(JSON.stringify({ error: 'use_dpop_nonce' }), {
        status: 400,
        headers: { 'content-type': 'application/json', 'dpop-nonce': 'n-1' },
      })
    const { ctx, pushed } = parProvider(nonceChallenge, created)
    const dpop = createDPoPHandle(ctx.client, await generateDPoPKeyPair())
    const url = await pushAuthorizationRequest(ctx, await authorizationUrl(ctx), dpop)
    expect(url.searchParams.get('request_uri')).toBe(REQUEST_URI)
    expect(pushed).toHaveLength(2)
    const proofs = pushed.map(({ headers }) => headers.get('dpop') ?? '')
    for (const proof of proofs) expect(proof).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/)
    const claims = proofs.map((proof) => JSON.parse(atob(proof.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))))
    expect(claims[0]).toMatchObject({ htm: 'POST', htu: PAR_ENDPOINT })
    expect(claims[0]).not.toHaveProperty('nonce')
    expect(claims[1]).toMatchObject({ htm: 'POST', htu: PAR_ENDPOINT, nonce: 'n-1' })
  })

  it('sends no DPoP header without DPoP', async () => {
    const { ctx, pushed } = parProvider(created)
    await pushAuthorizationRequest(ctx, await authorizationUrl(ctx), null)
    expect(pushed[0]!.headers.has('dpop')).toBe(false)
  })

  it.each<[string, () => Response | Promise<Response>, Record<string, unknown>]>([
    [
      'an OAuth error as authorization_error, with oauthError and status',
      () => jsonResponse(400, { error: 'invalid_scope' }),
      { code: 'authorization_error', oauthError: 'invalid_scope', status: 400 },
    ],
    [
      'an unreachable provider as network_error',
      () => Promise.reject(new TypeError('Failed to fetch')),
      { code: 'network_error' },
    ],
    [
      'a 201 without request_uri as invalid_response',
      () => jsonResponse(201, { expires_in: 60 }),
      { code: 'invalid_response' },
    ],
    ['an HTML page as invalid_response', () => new Response('<html>', { status: 500 }), { code: 'invalid_response' }],
  ])('reports %s', async (_what, answer, expected) => {
    const { ctx } = parProvider(answer)
    await expect(pushAuthorizationRequest(ctx, await authorizationUrl(ctx), null)).rejects.toMatchObject({
      name: 'AuthError',
      ...expected,
    })
  })
})
