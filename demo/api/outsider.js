// @ts-check
/**
 * A server on an origin the SDK must never send credentials to. It accepts everything from everyone
 * (CORS `*`, any method, any header including `authorization` and `dpop`), so the only thing keeping
 * tokens away from it is the SDK itself; its `/__log` shows whether any arrived.
 */
import { createServer } from 'node:http'
import { HOST, closeServer, listen } from '../shared/http-server.js'
import { createRequestLog } from './request-log.js'
import { sendJson } from './routes.js'

/**
 * @param {{ port?: number }} [options] listening port on 127.0.0.1 (default 9200)
 * @returns {Promise<import('./api.js').ServerHandle>}
 */
export async function startOutsider({ port = 9200 } = {}) {
  const origin = `http://${HOST}:${port}`
  const log = createRequestLog()

  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', origin)
    if (log.serve(req, res, pathname)) return
    log.record(req, pathname)
    req.resume()
    allowEverything(req, res)
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end()
      return
    }
    sendJson(res, 200, { ok: true })
  })
  await listen(server, port)
  return { origin, close: () => closeServer(server) }
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
function allowEverything(req, res) {
  res.setHeader('Access-Control-Allow-Origin', '*')
  res.setHeader('Access-Control-Expose-Headers', '*')
  const method = req.headers['access-control-request-method']
  if (method) res.setHeader('Access-Control-Allow-Methods', method)
  // Named explicitly: the `*` wildcard never covers `Authorization` (Fetch standard, CORS protocol).
  const headers = req.headers['access-control-request-headers']
  if (headers) res.setHeader('Access-Control-Allow-Headers', headers)
}
