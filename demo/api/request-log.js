// @ts-check
/**
 * What reached a demo server, for tests: whether each request carried credentials, as booleans only.
 * Header values and query strings (either could hold a token or a code) are never kept.
 */

/**
 * @typedef {object} LoggedRequest
 * @property {string} method
 * @property {string} path the path without query string
 * @property {boolean} authorization an `Authorization` header was present
 * @property {boolean} dpop a `DPoP` header was present
 * @property {string | null} origin the `Origin` header
 * @property {number} at epoch milliseconds
 */

const LOG_PATH = '/__log'
const CLEAR_PATH = '/__log/clear'

/**
 * @param {{ limit?: number }} [options] how many of the latest requests to keep (default 200)
 */
export function createRequestLog({ limit = 200 } = {}) {
  /** @type {LoggedRequest[]} */
  let entries = []

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {string} path
   */
  function record(req, path) {
    entries.push({
      method: req.method ?? 'GET',
      path,
      authorization: req.headers.authorization !== undefined,
      dpop: req.headers.dpop !== undefined,
      origin: req.headers.origin ?? null,
      at: Date.now(),
    })
    if (entries.length > limit) entries = entries.slice(-limit)
  }

  /**
   * Serves `GET /__log` and `POST /__log/clear`, open to any origin; these requests are not logged.
   *
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {string} path
   * @returns {boolean} whether the request was a log request (and has been answered)
   */
  function serve(req, res, path) {
    if (path !== LOG_PATH && path !== CLEAR_PATH) return false
    res.setHeader('Access-Control-Allow-Origin', '*')
    res.setHeader('Cache-Control', 'no-store')
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET,POST')
      const requested = req.headers['access-control-request-headers']
      if (requested) res.setHeader('Access-Control-Allow-Headers', requested)
      res.writeHead(204).end()
    } else if (path === LOG_PATH && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(entries))
    } else if (path === CLEAR_PATH && req.method === 'POST') {
      entries = []
      req.resume()
      res.writeHead(204).end()
    } else {
      res.writeHead(405, { 'Content-Type': 'application/json' }).end('{"error":"method_not_allowed"}')
    }
    return true
  }

  return { record, serve }
}
