// @ts-check
/**
 * A hand-written OpenID provider that misbehaves on request, for the e2e suite. It speaks just
 * enough of the protocol: discovery, an authorization endpoint that redirects straight back (no
 * login page), a token endpoint, and a JWKS. `POST /__mode {"mode": "..."}` picks one way of
 * breaking the flow (see `MODES` in ./settings.js); `POST /__reset` goes back to `ok` and forgets
 * everything. Test-only: it binds 127.0.0.1 and never logs a token.
 *
 * Env: MISBEHAVING_PORT (9300); SPA_ORIGIN, the only origin it redirects to and answers CORS for.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { SignJWT, exportJWK, generateKeyPair } from 'jose'
import { closeOnSignals, closeServer, listen } from '../../demo/shared/http-server.js'
import { MODES, issuer, port } from './settings.js'

/** @typedef {import('./settings.js').Mode} Mode */
/** @typedef {import('node:http').IncomingMessage} Request */
/** @typedef {import('node:http').ServerResponse} Response */

/**
 * What `/authorize` remembers for `/token`.
 *
 * @typedef {object} Grant
 * @property {string} clientId
 * @property {string} redirectUri
 * @property {string} codeChallenge
 * @property {string | null} nonce
 * @property {string} scope
 */

const spaOrigin = process.env.SPA_ORIGIN ?? 'http://127.0.0.1:5173'
/** Another issuer, for `iss` values that name the wrong server. */
const OTHER_ISSUER = 'https://other-issuer.example'
const OTHER_CLIENT = 'another-client'
const SUBJECT = 'misbehaving-user'

const signingKey = await generateKeyPair('ES256')
const kid = 'misbehaving-1'
const publicJwk = { ...(await exportJWK(signingKey.publicKey)), kid, alg: 'ES256', use: 'sig' }

/** @type {Mode} */
let mode = 'ok'
/** @type {Map<string, Grant>} */
const grants = new Map()
/** Token values issued so far, so tests can look for them where they must not be. */
const issued = { access: /** @type {string[]} */ ([]), refresh: /** @type {string[]} */ ([]) }
const counters = { authorize: 0, token: 0 }
/** Token requests left without an answer by `token-hang`: ended on reset. */
const hanging = new Set(/** @type {Response[]} */ ([]))

const random = () => randomBytes(32).toString('base64url')
const nowSeconds = () => Math.floor(Date.now() / 1000)

/** @param {Response} res */
function allowSpa(res) {
  res.setHeader('Access-Control-Allow-Origin', spaOrigin)
  res.setHeader('Vary', 'Origin')
}

/**
 * @param {Response} res
 * @param {number} status
 * @param {unknown} body
 */
function sendJson(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
  res.end(JSON.stringify(body))
}

/**
 * @param {Request} req
 * @returns {Promise<string>}
 */
async function readBody(req) {
  const chunks = []
  for await (const chunk of req) chunks.push(chunk)
  return Buffer.concat(chunks).toString('utf8')
}

function metadata() {
  const advertised =
    mode === 'discovery-issuer-other' ? OTHER_ISSUER : mode === 'discovery-issuer-slash' ? `${issuer}/` : issuer
  return {
    issuer: advertised,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['ES256'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none'],
    scopes_supported: ['openid'],
    // RFC 9207 §3: the client must then insist on `iss` in every authorization response.
    authorization_response_iss_parameter_supported: true,
    // No `dpop_signing_alg_values_supported`: the SDK uses Bearer tokens here.
  }
}

/**
 * Redirects straight back to `redirect_uri` with a code, or with this mode's misbehaviour.
 *
 * @param {URL} url
 * @param {Response} res
 */
function authorize(url, res) {
  counters.authorize++
  const params = url.searchParams
  const redirectUri = params.get('redirect_uri') ?? ''
  let target
  try {
    target = new URL(redirectUri)
  } catch {
    target = null
  }
  // Never an open redirector, even in a test: only back to the SPA.
  if (!target || target.origin !== spaOrigin || params.get('code_challenge_method') !== 'S256') {
    res.writeHead(400, { 'Content-Type': 'text/plain' })
    res.end('bad authorization request')
    return
  }
  const code = random()
  grants.set(code, {
    clientId: params.get('client_id') ?? '',
    redirectUri,
    codeChallenge: params.get('code_challenge') ?? '',
    nonce: params.get('nonce'),
    scope: params.get('scope') ?? '',
  })
  const back = target.searchParams
  if (mode === 'access-denied') {
    back.set('error', 'access_denied')
    back.set('error_description', 'The user said no')
  } else {
    back.set('code', code)
  }
  const state = params.get('state')
  if (mode === 'state-wrong') back.set('state', random())
  else if (mode !== 'state-missing' && state !== null) back.set('state', state)
  if (mode === 'iss-other') back.set('iss', OTHER_ISSUER)
  else if (mode !== 'iss-missing') back.set('iss', issuer)
  res.writeHead(302, { Location: target.href, 'Cache-Control': 'no-store' })
  res.end()
}

/**
 * An ID token for `grant`, correct unless this mode says otherwise.
 *
 * @param {Grant} grant
 */
async function idToken(grant) {
  const now = nowSeconds()
  /** @type {Record<string, unknown>} */
  const claims = { sub: SUBJECT, name: 'Misbehaving User' }
  if (grant.nonce !== null) claims.nonce = mode === 'id-token-nonce' ? random() : grant.nonce
  if (mode === 'id-token-azp' || mode === 'id-token-azp-multi') claims.azp = OTHER_CLIENT
  // `id-token-azp` keeps this client as the only audience: only the `azp` claim is wrong.
  const audience =
    mode === 'id-token-aud'
      ? OTHER_CLIENT
      : mode === 'id-token-azp-multi'
        ? [grant.clientId, OTHER_CLIENT]
        : grant.clientId
  const expired = mode === 'id-token-expired'
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
    .setIssuer(mode === 'id-token-iss' ? OTHER_ISSUER : issuer)
    .setAudience(audience)
    .setIssuedAt(expired ? now - 900 : now)
    .setExpirationTime(expired ? now - 600 : now + 300)
    .sign(signingKey.privateKey)
}

/**
 * @param {Request} req
 * @param {Response} res
 */
async function token(req, res) {
  counters.token++
  if (mode === 'token-unreachable') {
    req.socket.destroy()
    return
  }
  if (mode === 'token-hang') {
    hanging.add(res)
    res.on('close', () => hanging.delete(res))
    return
  }
  allowSpa(res)
  const form = new URLSearchParams(await readBody(req))
  if (mode === 'token-invalid-grant') {
    sendJson(res, 400, { error: 'invalid_grant', error_description: 'The code is not valid' })
    return
  }
  if (mode === 'token-500-html') {
    res.writeHead(500, { 'Content-Type': 'text/html' })
    res.end('<!doctype html><html><body><h1>500 Internal Server Error</h1></body></html>')
    return
  }
  const code = form.get('code') ?? ''
  const grant = grants.get(code)
  grants.delete(code)
  const verifier = form.get('code_verifier') ?? ''
  const challenge = createHash('sha256').update(verifier).digest('base64url')
  if (
    form.get('grant_type') !== 'authorization_code' ||
    !grant ||
    grant.clientId !== form.get('client_id') ||
    grant.redirectUri !== form.get('redirect_uri') ||
    grant.codeChallenge !== challenge
  ) {
    // The SDK's own requests must be correct: `ok` depends on it.
    sendJson(res, 400, { error: 'invalid_grant', error_description: 'code, client, redirect URI or verifier' })
    return
  }
  const accessToken = random()
  const refreshToken = random()
  issued.access.push(accessToken)
  issued.refresh.push(refreshToken)
  if (mode === 'token-not-json') {
    // What some providers answer without `Accept: application/json`: form-encoded, as text.
    res.writeHead(200, { 'Content-Type': 'text/plain' })
    res.end(new URLSearchParams({ access_token: accessToken, token_type: 'bearer' }).toString())
    return
  }
  /** @type {Record<string, unknown>} */
  const body = {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: 300,
    refresh_token: refreshToken,
    scope: grant.scope,
    ...(grant.scope.split(' ').includes('openid') && { id_token: await idToken(grant) }),
  }
  if (mode === 'token-no-access-token') delete body.access_token
  if (mode === 'token-type-mac')
    Object.assign(body, { token_type: 'mac', mac_key: random(), mac_algorithm: 'hmac-sha-256' })
  sendJson(res, 200, body)
}

function reset() {
  mode = 'ok'
  grants.clear()
  issued.access.length = 0
  issued.refresh.length = 0
  counters.authorize = 0
  counters.token = 0
  for (const res of hanging) res.destroy()
  hanging.clear()
}

/**
 * @param {Request} req
 * @param {Response} res
 */
async function handle(req, res) {
  const url = new URL(req.url ?? '/', issuer)
  const route = `${req.method} ${url.pathname}`
  if (req.method === 'OPTIONS') {
    allowSpa(res)
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST')
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Accept, DPoP')
    res.writeHead(204)
    res.end()
    return
  }
  switch (route) {
    case 'GET /.well-known/openid-configuration':
      allowSpa(res)
      return sendJson(res, 200, metadata())
    case 'GET /jwks':
      allowSpa(res)
      return sendJson(res, 200, { keys: [publicJwk] })
    case 'GET /authorize':
      return authorize(url, res)
    case 'POST /token':
      return token(req, res)
    case 'POST /__mode': {
      const requested = /** @type {{ mode?: unknown }} */ (JSON.parse((await readBody(req)) || '{}')).mode
      if (!MODES.includes(/** @type {Mode} */ (requested))) return sendJson(res, 400, { error: 'unknown mode' })
      mode = /** @type {Mode} */ (requested)
      return sendJson(res, 200, { mode })
    }
    case 'POST /__reset':
      reset()
      return sendJson(res, 200, { mode })
    case 'GET /__state':
      return sendJson(res, 200, { mode, counters, issued })
    default:
      allowSpa(res)
      return sendJson(res, 404, { error: 'not_found' })
  }
}

const server = createServer((req, res) => {
  handle(req, res).catch((error) => {
    console.error('misbehaving provider:', error instanceof Error ? error.message : error)
    if (!res.headersSent) sendJson(res, 500, { error: 'server_error' })
    else res.destroy()
  })
})
await listen(server, port)
console.log(`misbehaving provider: ${issuer}`)
closeOnSignals([
  {
    close: async () => {
      reset()
      await closeServer(server)
    },
  },
])
