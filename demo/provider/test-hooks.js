// @ts-check
/**
 * Test-only observation and control of the demo provider, mounted under `/__test/` only when the
 * provider is started with `testHooks: true`. It keeps every token value the token endpoint issued
 * so tests can prove those values never reach places they must not (page memory, messages, logs).
 * It never logs them.
 */
import { decodeJwt } from 'jose'

/**
 * The slice of Koa's context these middlewares touch (oidc-provider ships no type declarations).
 *
 * @typedef {object} KoaContext
 * @property {string} method
 * @property {string} path
 * @property {number} status
 * @property {unknown} body
 * @property {string} type
 * @property {(name: string) => string} get
 * @property {(name: string, value: string) => void} set
 * @property {(field: string) => void} vary
 * @property {any} [oidc]
 * @property {import('node:http').IncomingMessage} req
 */

/** @typedef {(ctx: KoaContext, next: () => Promise<void>) => Promise<void>} Middleware */

/**
 * @typedef {object} Counters
 * @property {Record<string, number>} token successful token responses by grant type
 * @property {Record<string, number>} errors token and revocation endpoint errors by OAuth error code
 *   (`use_dpop_nonce` is counted in `dpopNonceChallenges` instead: it is a protocol step, not a failure)
 * @property {number} revocation successful revocation responses
 * @property {number} dpopNonceChallenges `use_dpop_nonce` answers from any endpoint
 * @property {number} dropped token requests dropped or left hanging by `tokenEndpoint: 'down' | 'hang'`
 * @property {{ requests: number, withDpop: number }} par pushed authorization requests answered 201
 *   (RFC 9126 §2.2), and how many of them carried a DPoP proof (RFC 9449 §10.1)
 */

/** @returns {Counters} */
function emptyCounters() {
  return {
    token: { authorization_code: 0, refresh_token: 0 },
    errors: {},
    revocation: 0,
    dpopNonceChallenges: 0,
    dropped: 0,
    par: { requests: 0, withDpop: 0 },
  }
}

/**
 * @param {unknown} body
 * @returns {Record<string, unknown> | undefined}
 */
function jsonObject(body) {
  return body && typeof body === 'object' && !Buffer.isBuffer(body)
    ? /** @type {Record<string, unknown>} */ (body)
    : undefined
}

/**
 * @param {unknown} token
 * @returns {string | undefined}
 */
function jtiOf(token) {
  if (typeof token !== 'string') return undefined
  try {
    const { jti } = decodeJwt(token)
    return typeof jti === 'string' ? jti : undefined
  } catch {
    return undefined // an opaque token: nothing the API could match against
  }
}

/**
 * @param {object} options
 * @param {import('oidc-provider').Provider} options.provider
 * @param {string} options.clientId the SPA's client, which `requirePar` applies to
 * @param {Set<string>} options.corsOrigins browser origins allowed to call the hooks
 * @param {{ token: string, revocation: string, pushed_authorization_request: string }} options.routes the
 *   provider's endpoint paths
 * @param {{ accessTokenTtl: number, requireDpopNonce: boolean, tokenEndpoint: 'up' | 'down' | 'hang', requirePar: boolean }} options.settings
 *   the provider's live settings, changed by `POST /__test/settings`
 * @returns {{ observe: Middleware, serve: Middleware }} `observe` watches the provider's endpoints,
 *   `serve` answers `/__test/*`; mount both before oidc-provider's router.
 */
export function createTestHooks({ provider, clientId, corsOrigins, routes, settings }) {
  /** @type {{ access: string[], refresh: string[], id: string[] }} */
  const issued = { access: [], refresh: [], id: [] }
  /** @type {string[]} */
  const accessJtis = []
  /** @type {Set<string>} */
  const revokedJtis = new Set()
  let counters = emptyCounters()

  /** @param {Record<string, unknown>} body */
  function recordIssued(body) {
    const { access_token: access, refresh_token: refresh, id_token: id } = body
    if (typeof access === 'string') {
      issued.access.push(access)
      const jti = jtiOf(access)
      if (jti) accessJtis.push(jti)
    }
    if (typeof refresh === 'string') issued.refresh.push(refresh)
    if (typeof id === 'string') issued.id.push(id)
  }

  /** @param {string} code */
  function countError(code) {
    counters.errors[code] = (counters.errors[code] ?? 0) + 1
  }

  /** @type {Middleware} */
  async function observe(ctx, next) {
    // A token endpoint that is down drops the connection; one that hangs never answers.
    if (ctx.path === routes.token && ctx.method === 'POST' && settings.tokenEndpoint !== 'up') {
      counters.dropped += 1
      if (settings.tokenEndpoint === 'down') ctx.req.socket.destroy()
      await new Promise(() => {})
    }
    // RFC 9126 §5: oidc-provider reads the requirement from the client, fixed at start; set per request.
    const client = await provider.Client.find(clientId)
    if (client) client.requirePushedAuthorizationRequests = settings.requirePar
    await next()
    const body = jsonObject(ctx.body)
    if (ctx.path === '/.well-known/openid-configuration' && body) {
      body.require_pushed_authorization_requests = settings.requirePar || undefined
    }
    if (ctx.path === routes.pushed_authorization_request && ctx.status === 201) {
      counters.par.requests += 1
      if (ctx.get('DPoP')) counters.par.withDpop += 1
    }
    if (body?.error === 'use_dpop_nonce') {
      counters.dpopNonceChallenges += 1
      return
    }
    if (ctx.method !== 'POST') return
    if (ctx.path === routes.token) {
      if (ctx.status === 200 && body) {
        recordIssued(body)
        const grantType = String(ctx.oidc?.params?.grant_type ?? 'unknown')
        counters.token[grantType] = (counters.token[grantType] ?? 0) + 1
      } else if (typeof body?.error === 'string') {
        countError(body.error)
      }
    } else if (ctx.path === routes.revocation) {
      if (ctx.status === 200) counters.revocation += 1
      else if (typeof body?.error === 'string') countError(body.error)
    }
  }

  // JWT access tokens are self-contained: the provider cannot take them back, so "revoking" them means
  // publishing their jti for an API started with `checkRevocation` to refuse.
  function revokeAccessTokens() {
    for (const jti of accessJtis) revokedJtis.add(jti)
    return { revoked: accessJtis.length }
  }

  async function revokeRefreshTokens() {
    let revoked = 0
    for (const value of issued.refresh) {
      const token = await provider.RefreshToken.find(value, { ignoreExpiration: true })
      if (token) {
        await token.destroy()
        revoked += 1
      }
    }
    return { revoked }
  }

  /** @type {Record<string, (ctx: KoaContext) => unknown>} */
  const getRoutes = {
    '/__test/settings': () => settings,
    '/__test/tokens': () => issued,
    '/__test/counters': () => counters,
    '/__test/revoked-jtis': () => [...revokedJtis],
  }

  /** @type {Record<string, (ctx: KoaContext) => unknown>} */
  const postRoutes = {
    '/__test/settings': async (ctx) => {
      const changes = JSON.parse((await readText(ctx.req)) || '{}')
      if (typeof changes.accessTokenTtl === 'number') settings.accessTokenTtl = changes.accessTokenTtl
      if (typeof changes.requireDpopNonce === 'boolean') settings.requireDpopNonce = changes.requireDpopNonce
      if (['up', 'down', 'hang'].includes(changes.tokenEndpoint)) settings.tokenEndpoint = changes.tokenEndpoint
      if (typeof changes.requirePar === 'boolean') settings.requirePar = changes.requirePar
      return settings
    },
    '/__test/reset': () => {
      counters = emptyCounters()
      return { ok: true }
    },
    '/__test/revoke-access': revokeAccessTokens,
    '/__test/revoke-refresh': revokeRefreshTokens,
  }

  /** @param {KoaContext} ctx */
  function applyCors(ctx) {
    ctx.vary('Origin')
    const origin = ctx.get('Origin')
    if (!corsOrigins.has(origin)) return
    ctx.set('Access-Control-Allow-Origin', origin)
    ctx.set('Access-Control-Allow-Methods', 'GET,POST')
    const requested = ctx.get('Access-Control-Request-Headers')
    if (requested) ctx.set('Access-Control-Allow-Headers', requested)
  }

  /** @type {Middleware} */
  async function serve(ctx, next) {
    if (!ctx.path.startsWith('/__test/')) return next()
    applyCors(ctx)
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204
      return
    }
    const handler = (ctx.method === 'GET' ? getRoutes : ctx.method === 'POST' ? postRoutes : {})[ctx.path]
    if (!handler) {
      ctx.status = 404
      ctx.body = { error: 'not_found' }
      return
    }
    ctx.set('Cache-Control', 'no-store')
    ctx.body = await handler(ctx)
  }

  return { observe, serve }
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<string>}
 */
async function readText(req) {
  let text = ''
  for await (const chunk of req) text += chunk
  return text
}
