// @ts-check
/** CORS for the demo API's `/api/*` routes: the SPA's origin (and any extra origins it was given) only. */

const ALLOWED_METHODS = 'GET,POST,PUT,PATCH,DELETE,OPTIONS'
const BASE_HEADERS = ['authorization', 'dpop', 'content-type']
// The SDK must be able to read these: a DPoP nonce to retry with, a challenge to act on, and this
// server's clock, to date a DPoP proof by when the two clocks disagree (RFC 9449 §11.1).
const EXPOSED_HEADERS = 'DPoP-Nonce, WWW-Authenticate, Date'

/**
 * Sets the CORS response headers when the request comes from one of `allowedOrigins`; other origins
 * get none, so browsers refuse them.
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {ReadonlySet<string>} allowedOrigins
 * @returns {boolean} whether the origin is allowed
 */
export function applyApiCors(req, res, allowedOrigins) {
  res.setHeader('Vary', 'Origin')
  const origin = req.headers.origin
  if (origin === undefined || !allowedOrigins.has(origin)) return false
  res.setHeader('Access-Control-Allow-Origin', origin)
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS)
  return true
}

/**
 * Answers a preflight with 204; when the origin is allowed, the methods and headers are too
 * (`authorization`, `dpop`, `content-type` and any `x-*` the browser asks about).
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {boolean} originAllowed
 */
export function answerPreflight(req, res, originAllowed) {
  if (originAllowed && req.headers['access-control-request-method']) {
    const requested = (req.headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name.startsWith('x-'))
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS)
    res.setHeader('Access-Control-Allow-Headers', [...BASE_HEADERS, ...requested].join(', '))
    res.setHeader('Access-Control-Max-Age', '600')
  }
  res.writeHead(204).end()
}
