// @ts-check
/** Start and stop helpers shared by the demo's Node servers (provider, API, outsider). */

/** Every demo server binds the loopback interface only. */
export const HOST = '127.0.0.1'

/**
 * Listens on 127.0.0.1; rejects on EADDRINUSE and friends instead of crashing the process.
 *
 * @param {import('node:http').Server} server
 * @param {number} port
 * @returns {Promise<void>}
 */
export function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, HOST, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

/**
 * Serves `handler` under the path `prefix` only, as Express's `app.use(prefix, handler)` does: the
 * handler sees the rest of the path in `req.url` and the whole one in `req.originalUrl`, from which
 * oidc-provider builds its endpoints' URLs. Anything outside the prefix is a 404.
 *
 * @param {string} prefix e.g. `/realms/demo`, no trailing slash
 * @param {(req: import('node:http').IncomingMessage & { originalUrl?: string }, res: import('node:http').ServerResponse) => void} handler
 * @returns {(req: import('node:http').IncomingMessage & { originalUrl?: string }, res: import('node:http').ServerResponse) => void}
 */
export function mountAt(prefix, handler) {
  return (req, res) => {
    const url = req.url ?? '/'
    const rest = url.slice(prefix.length)
    if (!url.startsWith(prefix) || (rest !== '' && !rest.startsWith('/') && !rest.startsWith('?'))) {
      res.writeHead(404).end()
      return
    }
    req.originalUrl = url
    req.url = rest.startsWith('/') ? rest : `/${rest}`
    handler(req, res)
  }
}

/**
 * @param {import('node:http').Server} server
 * @returns {Promise<void>}
 */
export function closeServer(server) {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()))
    // Keep-alive connections (a browser's, a test's fetch) would otherwise hold close() open.
    server.closeAllConnections()
  })
}

/**
 * Runs a CLI entry's servers until SIGINT or SIGTERM, then closes them and exits.
 *
 * @param {Array<{ close(): Promise<void> }>} handles
 */
export function closeOnSignals(handles) {
  let closing = false
  /** @param {NodeJS.Signals} signal */
  const shutdown = (signal) => {
    if (closing) return
    closing = true
    Promise.all(handles.map((handle) => handle.close())).then(
      () => process.exit(0),
      (err) => {
        console.error(`failed to close on ${signal}:`, err)
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
}
