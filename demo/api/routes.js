// @ts-check
/** The demo API's protected resources. Each handler runs after authentication succeeded. */
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

/**
 * @typedef {object} RouteContext
 * @property {import('node:http').IncomingMessage} req
 * @property {import('node:http').ServerResponse} res
 * @property {URL} url
 * @property {import('./authenticate.js').Principal} principal
 */

/** @typedef {(ctx: RouteContext) => Promise<void>} RouteHandler */

const MAX_DATA_BYTES = 64 * 1024 * 1024
const MAX_BLOB_BYTES = 1024 * 1024 * 1024
const MAX_ECHO_BYTES = 64 * 1024 * 1024
const ECHO_TEXT_LIMIT = 64 * 1024
const BLOB_CHUNK = blobPattern(64 * 1024)

/** Headers the echo never reflects back: they carry the credentials. */
const SECRET_HEADERS = new Set(['authorization', 'dpop'])

/** A client error a handler detected; answered as JSON with `status`. */
export class RequestError extends Error {
  /**
   * @param {number} status
   * @param {'invalid_request' | 'payload_too_large'} code
   * @param {string} description
   */
  constructor(status, code, description) {
    super(description)
    this.name = 'RequestError'
    this.status = status
    this.code = code
  }
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
export function sendJson(res, status, body) {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  })
  res.end(text)
}

/** The second API's path prefix; its resource indicator (RFC 8707) is `<origin>/reports`. */
export const REPORTS_PATH = '/reports'

/** @type {RouteHandler} */
async function me({ res, principal }) {
  sendJson(res, 200, principal)
}

/** The `acr` the step-up route wants: the demo provider's stronger login (demo/provider/provider.js). */
export const STEP_UP_ACR = 'urn:oauth-enclave:demo:mfa'

/**
 * A resource that wants a stronger authentication than a password: an access token naming
 * `STEP_UP_ACR`, and with `?max_age=N` one from a login at most N seconds ago. Otherwise a 401
 * `insufficient_user_authentication` saying what would do (RFC 9470 §3).
 *
 * @type {RouteHandler}
 */
async function stepUp({ res, url, principal }) {
  const maxAge = url.searchParams.get('max_age')
  if (maxAge !== null && !/^\d+$/.test(maxAge)) {
    throw new RequestError(400, 'invalid_request', 'max_age must be a whole number of seconds')
  }
  const now = Math.floor(Date.now() / 1000)
  const tooOld = maxAge !== null && (principal.authTime === null || now - principal.authTime > Number(maxAge))
  if (principal.acr === STEP_UP_ACR && !tooOld) return sendJson(res, 200, { ...principal, steppedUp: true })
  const description = principal.acr === STEP_UP_ACR ? 'a more recent login is required' : 'a stronger login is required'
  res.setHeader(
    'WWW-Authenticate',
    `${principal.tokenType} error="insufficient_user_authentication", error_description="${description}", ` +
      `acr_values="${STEP_UP_ACR}"${maxAge === null ? '' : `, max_age="${maxAge}"`}`,
  )
  sendJson(res, 401, { error: 'insufficient_user_authentication', error_description: description })
}

/**
 * About `bytes` bytes of JSON (never less than the JSON wrapper itself), for benchmarks.
 *
 * @type {RouteHandler}
 */
async function data({ res, url }) {
  const bytes = sizeParam(url, 1024, MAX_DATA_BYTES)
  const overhead = JSON.stringify({ bytes, data: '' }).length
  sendJson(res, 200, { bytes, data: 'x'.repeat(Math.max(0, bytes - overhead)) })
}

/**
 * Exactly `bytes` bytes of deterministic binary (byte i is i mod 256), streamed in 64 KiB chunks.
 *
 * @type {RouteHandler}
 */
async function blob({ res, url }) {
  const bytes = sizeParam(url, 1024, MAX_BLOB_BYTES)
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': bytes,
    'Cache-Control': 'no-store',
  })
  await pipeline(Readable.from(blobChunks(bytes)), res)
}

/** @type {RouteHandler} */
async function echo({ req, res }) {
  const body = await readBody(req, MAX_ECHO_BYTES)
  sendJson(res, 200, {
    method: req.method,
    contentType: req.headers['content-type'] ?? null,
    bodyBytes: body.length,
    sha256: createHash('sha256').update(body).digest('hex'),
    text: body.length < ECHO_TEXT_LIMIT ? body.toString('utf8') : null,
    headers: Object.fromEntries(Object.entries(req.headers).filter(([name]) => !SECRET_HEADERS.has(name))),
  })
}

/**
 * A redirect anywhere, so tests can check that credentials do not follow it.
 *
 * @type {RouteHandler}
 */
async function redirect({ res, url }) {
  redirectAnywhere(res, url)
}

/**
 * Answers 302 to the `to` query parameter.
 *
 * @param {import('node:http').ServerResponse} res
 * @param {URL} url
 */
export function redirectAnywhere(res, url) {
  const to = URL.parse(url.searchParams.get('to') ?? '')
  if (!to || (to.protocol !== 'http:' && to.protocol !== 'https:')) {
    throw new RequestError(400, 'invalid_request', '`to` must be an absolute http(s) URL')
  }
  res.writeHead(302, { Location: to.href, 'Cache-Control': 'no-store' }).end()
}

/** @type {Record<string, Record<string, RouteHandler>>} path → method → handler */
export const protectedRoutes = {
  '/api/me': { GET: me },
  '/api/step-up': { GET: stepUp },
  '/api/data': { GET: data },
  '/api/blob': { GET: blob },
  '/api/echo': { POST: echo, PUT: echo, PATCH: echo, DELETE: echo },
  '/api/redirect': { GET: redirect },
}

/**
 * @param {URL} url
 * @param {number} fallback
 * @param {number} max
 */
function sizeParam(url, fallback, max) {
  const raw = url.searchParams.get('bytes')
  if (raw === null) return fallback
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n < 0 || n > max) {
    throw new RequestError(400, 'invalid_request', `bytes must be an integer from 0 to ${max}`)
  }
  return n
}

/** @param {number} size */
function blobPattern(size) {
  const chunk = Buffer.alloc(size)
  for (let i = 0; i < size; i += 1) chunk[i] = i & 0xff
  return chunk
}

/**
 * The chunk length is a multiple of 256, so every chunk continues the pattern seamlessly.
 *
 * @param {number} total
 */
function* blobChunks(total) {
  for (let sent = 0; sent < total; sent += BLOB_CHUNK.length) {
    yield BLOB_CHUNK.subarray(0, Math.min(BLOB_CHUNK.length, total - sent))
  }
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {number} limit
 * @returns {Promise<Buffer>}
 */
async function readBody(req, limit) {
  /** @type {Buffer[]} */
  const chunks = []
  let length = 0
  for await (const chunk of req) {
    length += chunk.length
    if (length > limit) throw new RequestError(413, 'payload_too_large', `body over ${limit} bytes`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

/** The second API's routes: who called, with a token for which audience. */
export const reportRoutes = /** @type {Record<string, Record<string, RouteHandler>>} */ ({
  [`${REPORTS_PATH}/summary`]: { GET: me },
})
