// @ts-check
/**
 * The demo's resource server: plain `node:http`, JWT access tokens (RFC 9068) from the demo provider,
 * DPoP-bound (RFC 9449) or, for providers without DPoP, Bearer (RFC 6750).
 */
import { createServer } from 'node:http'
import { HOST, closeServer, listen } from '../shared/http-server.js'
import { createAuthenticator } from './authenticate.js'
import { answerPreflight, applyApiCors } from './cors.js'
import { DPOP_ALGS } from './dpop-proof.js'
import { AuthError } from './errors.js'
import { createRequestLog } from './request-log.js'
import { REPORTS_PATH, RequestError, protectedRoutes, redirectAnywhere, reportRoutes, sendJson } from './routes.js'

export { startOutsider } from './outsider.js'

/**
 * @typedef {object} ApiOptions
 * @property {number} [port] listening port on 127.0.0.1 (default 9100)
 * @property {string} [issuer] the provider whose access tokens are accepted (default `http://127.0.0.1:9000`)
 * @property {string} [spaOrigin] the browser origin allowed by CORS (default `http://127.0.0.1:5173`)
 * @property {string[]} [extraOrigins] more browser origins allowed by CORS, e.g. other apps of the demo (default [])
 * @property {boolean} [requireDpopNonce] require this API's own DPoP nonce in proofs (RFC 9449 §9)
 *   (default false)
 * @property {boolean} [checkRevocation] refuse access tokens the provider's test hooks list as revoked;
 *   needs a provider started with `testHooks` (default false)
 */

/**
 * @typedef {object} ServerHandle
 * @property {string} origin `http://127.0.0.1:<port>`
 * @property {() => Promise<void>} close stops listening and drops open connections
 */

/** `WWW-Authenticate` params advertising the DPoP proof algorithms (RFC 9449 §7.1). */
const ALGS_PARAM = `algs="${DPOP_ALGS.join(' ')}"`

/**
 * Starts the API on 127.0.0.1. Routes: `GET /api/me`, `GET /api/data?bytes=N`, `GET /api/blob?bytes=N`,
 * `POST|PUT|PATCH|DELETE /api/echo`, `GET /api/redirect?to=URL`, `GET /api/step-up[?max_age=N]`
 * (RFC 9470: a stronger login wanted) (all authenticated), `GET /reports/summary` (a second API:
 * its own audience `<origin>/reports`, Bearer only), `GET /api/public`,
 * and `GET /__log`, `POST /__log/clear`.
 *
 * @param {ApiOptions} [options]
 * @returns {Promise<ServerHandle>}
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7
 */
export async function startApi({
  port = 9100,
  issuer = 'http://127.0.0.1:9000',
  spaOrigin = 'http://127.0.0.1:5173',
  extraOrigins = [],
  requireDpopNonce = false,
  checkRevocation = false,
} = {}) {
  const origin = `http://${HOST}:${port}`
  /** Live settings: `POST /__settings` changes them (tests only; the demo API is not a product). */
  const settings = { requireDpopNonce, checkRevocation }
  const auth = createAuthenticator({ issuer, origin, settings })
  // A second API on the same origin, with its own audience (RFC 8707), that predates DPoP.
  const reports = createAuthenticator({ issuer, origin, audience: `${origin}${REPORTS_PATH}`, dpop: false, settings })
  const log = createRequestLog()
  const corsOrigins = new Set([spaOrigin, ...extraOrigins])

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  async function handle(req, res) {
    const url = new URL(req.url ?? '/', origin)
    if (log.serve(req, res, url.pathname)) return
    if (url.pathname === '/__settings') return serveSettings(req, res, settings)
    log.record(req, url.pathname)

    const forReports = url.pathname.startsWith(`${REPORTS_PATH}/`)
    if (url.pathname !== '/api' && !url.pathname.startsWith('/api/') && !forReports) {
      return sendJson(res, 404, { error: 'not_found' })
    }
    const originAllowed = applyApiCors(req, res, corsOrigins)
    if (req.method === 'OPTIONS') return answerPreflight(req, res, originAllowed)
    if (url.pathname === '/api/public' && req.method === 'GET') return sendJson(res, 200, { ok: true })
    // A public redirect: what a credential-free re-send of a redirected request can follow.
    if (url.pathname === '/api/public/redirect' && req.method === 'GET') return redirectAnywhere(res, url)

    const methods = forReports ? reportRoutes[url.pathname] : protectedRoutes[url.pathname]
    if (!methods) return sendJson(res, 404, { error: 'not_found' })
    const route = methods[req.method ?? 'GET']
    if (!route) {
      res.setHeader('Allow', Object.keys(methods).join(', '))
      return sendJson(res, 405, { error: 'method_not_allowed' })
    }

    const authenticator = forReports ? reports : auth
    let principal
    try {
      principal = await authenticator.authenticate(req, url.pathname)
    } catch (err) {
      return refuse(res, err, authenticator.currentNonce())
    }
    const nonce = auth.currentNonce()
    if (nonce) res.setHeader('DPoP-Nonce', nonce)
    await route({ req, res, url, principal })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => fail(res, err))
  })
  await listen(server, port)
  return { origin, close: () => closeServer(server) }
}

/**
 * The 401 (or 503) for a request that did not authenticate.
 *
 * @param {import('node:http').ServerResponse} res
 * @param {unknown} err
 * @param {string | undefined} nonce
 */
function refuse(res, err, nonce) {
  if (!(err instanceof AuthError)) throw err
  if (nonce) res.setHeader('DPoP-Nonce', nonce)
  switch (err.code) {
    case 'missing_credentials':
      // RFC 6750 §3.1: no error code when the request carried no credentials.
      res.setHeader('WWW-Authenticate', `DPoP ${ALGS_PARAM}, Bearer`)
      return sendJson(res, 401, { error: err.code })
    case 'use_dpop_nonce':
      // RFC 9449 §9
      res.setHeader(
        'WWW-Authenticate',
        `DPoP error="use_dpop_nonce", error_description="${err.message}", ${ALGS_PARAM}`,
      )
      return sendJson(res, 401, { error: err.code, error_description: err.message })
    case 'invalid_token':
      res.setHeader(
        'WWW-Authenticate',
        err.scheme === 'Bearer' ? 'Bearer error="invalid_token"' : `DPoP error="invalid_token", ${ALGS_PARAM}`,
      )
      return sendJson(res, 401, { error: err.code, error_description: err.message })
    case 'temporarily_unavailable':
      console.error(`api: ${err.message}:`, err.cause instanceof Error ? err.cause.message : err.cause)
      return sendJson(res, 503, { error: err.code, error_description: err.message })
  }
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {unknown} err
 */
function fail(res, err) {
  if (res.headersSent) {
    res.destroy()
    return
  }
  if (err instanceof RequestError) {
    sendJson(res, err.status, { error: err.code, error_description: err.message })
    return
  }
  console.error('api: request failed:', err instanceof Error ? err.message : err)
  sendJson(res, 500, { error: 'server_error' })
}

/**
 * `GET|POST /__settings`: read or change `requireDpopNonce` and `checkRevocation`.
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {{ requireDpopNonce: boolean, checkRevocation: boolean }} settings
 */
async function serveSettings(req, res, settings) {
  if (req.method === 'POST') {
    let text = ''
    for await (const chunk of req) text += chunk
    const changes = JSON.parse(text || '{}')
    if (typeof changes.requireDpopNonce === 'boolean') settings.requireDpopNonce = changes.requireDpopNonce
    if (typeof changes.checkRevocation === 'boolean') settings.checkRevocation = changes.checkRevocation
  }
  res.writeHead(200, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' })
  res.end(JSON.stringify(settings))
}
