/**
 * An authorization server in the test page: metadata, signed ID tokens and a token endpoint behind
 * a fake `fetch`, for driving the protocol steps without a network.
 */
import * as oauth from 'oauth4webapi'
import { httpOptions, publicClient, type ProviderContext } from '../../src/protocol/provider'

export const ISSUER = 'https://idp.fuzz.test'
export const OTHER_ISSUER = 'https://other-idp.fuzz.test'
export const CLIENT_ID = 'fuzz-spa'
export const OTHER_CLIENT = 'another-client'
export const REDIRECT_URI = `${location.origin}/callback`
export const SUBJECT = 'alice'

/** What oauth4webapi hands a custom fetch (and what it hands the global one). */
export type FakeFetch = (url: string, init: { method?: string; body?: unknown; headers?: unknown }) => Promise<Response>

export function metadata(overrides: Partial<oauth.AuthorizationServer> = {}): oauth.AuthorizationServer {
  return {
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}/authorize`,
    token_endpoint: `${ISSUER}/token`,
    jwks_uri: `${ISSUER}/jwks`,
    id_token_signing_alg_values_supported: ['ES256'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    ...overrides,
  }
}

/** A {@link ProviderContext} whose requests all go to `fakeFetch`. */
export function providerContext(fakeFetch: FakeFetch, as = metadata()): ProviderContext {
  // The custom fetch rides along in the options every step spreads into its request.
  const http = { ...httpOptions(new URL(ISSUER), 5_000), [oauth.customFetch]: fakeFetch }
  return { as, ...publicClient(CLIENT_ID), http }
}

const encoder = new TextEncoder()

function base64url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

const keyPair = crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])

/** A compact JWS over any claims at all, signed ES256 (WebCrypto's raw r‖s is JWS's format). */
export async function signJwt(claims: Record<string, unknown>): Promise<string> {
  const header = base64url(encoder.encode(JSON.stringify({ alg: 'ES256', typ: 'JWT' })))
  const payload = base64url(encoder.encode(JSON.stringify(claims)))
  const input = encoder.encode(`${header}.${payload}`)
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, (await keyPair).privateKey, input)
  return `${header}.${payload}.${base64url(new Uint8Array(signature))}`
}

/** Claims of a valid ID token for this client and `nonce`. */
export function validIdTokenClaims(nonce: string | null): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000)
  return { iss: ISSUER, aud: CLIENT_ID, sub: SUBJECT, iat: now, exp: now + 3600, ...(nonce !== null && { nonce }) }
}

/** A random token value: long enough that no message can contain it by chance. */
export function randomToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)))
}

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
}

/**
 * A valid token response for an authorization request that carried `nonce`, its ID token with
 * `claims` besides the usual ones (e.g. `acr`, `auth_time`).
 */
export async function validTokenResponse(
  nonce: string | null,
  claims: Record<string, unknown> = {},
): Promise<Response> {
  return jsonResponse(200, {
    access_token: randomToken(),
    token_type: 'Bearer',
    expires_in: 300,
    refresh_token: randomToken(),
    id_token: await signJwt({ ...validIdTokenClaims(nonce), ...claims }),
  })
}

/** The login parameters of a plain login: no step-up, no resource indicator, no PAR. */
export const NO_STEP_UP = { acrValues: null, maxAge: null, resource: [], par: false, popup: false } as const

/** What `/authorize` would remember from the authorization request URL the SDK built. */
export interface AuthorizationGrant {
  readonly code: string
  readonly state: string
  readonly nonce: string | null
  readonly codeChallenge: string
  readonly redirectUri: string
}

export function grantFor(authorizationUrl: URL): AuthorizationGrant {
  const params = authorizationUrl.searchParams
  return {
    code: randomToken(),
    state: params.get('state') ?? '',
    nonce: params.get('nonce'),
    codeChallenge: params.get('code_challenge') ?? '',
    redirectUri: params.get('redirect_uri') ?? '',
  }
}

/** The callback URL a well-behaved provider would redirect to for `grant`. */
export function callbackFor(grant: AuthorizationGrant): URL {
  const url = new URL(grant.redirectUri)
  url.searchParams.set('code', grant.code)
  url.searchParams.set('state', grant.state)
  url.searchParams.set('iss', ISSUER)
  return url
}

/**
 * Whether a token request redeems `grant`: the code, the client, the redirect URI and the PKCE
 * verifier (RFC 7636 §4.6) all match.
 */
export async function redeems(grant: AuthorizationGrant, body: unknown): Promise<boolean> {
  const form = new URLSearchParams(String(body ?? ''))
  const verifier = form.get('code_verifier') ?? ''
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(verifier))))
  return (
    form.get('grant_type') === 'authorization_code' &&
    form.get('code') === grant.code &&
    form.get('client_id') === CLIENT_ID &&
    form.get('redirect_uri') === grant.redirectUri &&
    challenge === grant.codeChallenge
  )
}

/** The codes a login may fail with; `config_error`, `login_required` and `worker_error` are not among them. */
export const LOGIN_FAILURE_CODES = [
  'invalid_state',
  'invalid_issuer',
  'authorization_error',
  'invalid_response',
  'token_error',
  'network_error',
  'invalid_id_token',
] as const
