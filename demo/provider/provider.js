// @ts-check
/**
 * The demo's local OpenID Provider: oidc-provider configured for one first-party public SPA client
 * doing Authorization Code + PKCE with DPoP-bound (RFC 9449) JWT access tokens (RFC 9068) for the
 * demo API, and rotating refresh tokens.
 */
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import Provider, { errors, interactionPolicy } from 'oidc-provider'
import { HOST, closeServer, listen, mountAt } from '../shared/http-server.js'
import { SIGNING_ALG, generateCookieKeys, generateSigningJwks } from './keys.js'
import { createLogoutSource, postLogoutSuccessSource, renderError } from './pages.js'
import { createTestHooks } from './test-hooks.js'

/** Scope the demo API understands; the only scope its access tokens carry. */
export const API_SCOPE = 'api:read'
/**
 * Scope of the demo's second API, its reports (`<apiOrigin>/reports/`): a resource of its own
 * (RFC 8707), with tokens for its audience only, which take Bearer tokens only.
 */
export const REPORTS_SCOPE = 'reports:read'

/**
 * The demo's authentication context classes (OpenID Connect Core §2 `acr`): every login is
 * `PASSWORD_ACR`, unless the authorization request asked for `STRONG_ACR` in `acr_values`; the
 * provider then asks the user to log in again (a stand-in for a second factor) and says so in the
 * ID token and the access token. The demo API's step-up route wants `STRONG_ACR` (RFC 9470).
 */
export const PASSWORD_ACR = 'urn:oauth-enclave:demo:password'
export const STRONG_ACR = 'urn:oauth-enclave:demo:mfa'

const ROUTES = { token: '/token', revocation: '/token/revocation', pushed_authorization_request: '/par' }
const ONE_DAY = 24 * 60 * 60

/**
 * @typedef {object} ProviderOptions
 * @property {number} [port] listening port on 127.0.0.1 (default 9000)
 * @property {string} [spaOrigin] the SPA's origin: redirect URIs, CORS (default `http://127.0.0.1:5173`)
 * @property {string} [apiOrigin] the resource server, audience of access tokens
 *   (default `http://127.0.0.1:9100`)
 * @property {number} [accessTokenTtl] access and ID token lifetime in seconds (default 600)
 * @property {boolean} [requireDpopNonce] require a provider-issued DPoP nonce (RFC 9449 §8)
 *   at the token endpoint (default false)
 * @property {boolean} [testHooks] mount `/__test/*`, which exposes every issued token: tests only
 *   (default false)
 * @property {string[]} [extraRedirectUris] more redirect URIs; their origins are also allowed for CORS
 *   and post-logout redirects (default [])
 * @property {string} [clientId] the SPA's client_id (default `demo-spa`)
 * @property {boolean} [log] one line per request, method and path only (default: `DEBUG_DEMO` is set)
 * @property {string} [issuerPath] mount the provider under this path, which the issuer then ends with,
 *   as Keycloak's `/realms/x` or Okta's `/oauth2/default` (default: none, the issuer is the origin)
 */

/**
 * @typedef {object} ProviderHandle
 * @property {string} issuer `http://127.0.0.1:<port>` plus `issuerPath`, no trailing slash
 * @property {() => Promise<void>} close stops listening and drops open connections
 */

/**
 * The slices of Koa's context and oidc-provider's models the configuration callbacks touch
 * (oidc-provider ships no types).
 *
 * @typedef {{ method: string, path: string, status: number, oidc: any, set(name: string, value: string): void }} KoaContext
 * @typedef {{ clientId: string, grantTypeAllowed(grantType: string): boolean }} OidcClient
 * @typedef {{ clientId: string }} OidcToken
 */

/**
 * Starts the provider on 127.0.0.1.
 *
 * @param {ProviderOptions} [options]
 * @returns {Promise<ProviderHandle>}
 * @see https://www.rfc-editor.org/rfc/rfc9449 DPoP
 * @see https://www.rfc-editor.org/rfc/rfc8707 Resource Indicators
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html RP-Initiated Logout
 */
export async function startProvider({
  port = 9000,
  spaOrigin = 'http://127.0.0.1:5173',
  apiOrigin = 'http://127.0.0.1:9100',
  accessTokenTtl = 600,
  requireDpopNonce = false,
  testHooks = false,
  extraRedirectUris = [],
  clientId = 'demo-spa',
  log = Boolean(process.env.DEBUG_DEMO),
  issuerPath = '',
} = {}) {
  const issuer = `http://${HOST}:${port}${issuerPath}`
  /** What tests may change while the provider runs (`POST /__test/settings`). */
  const settings = {
    accessTokenTtl,
    requireDpopNonce,
    tokenEndpoint: /** @type {'up' | 'down' | 'hang'} */ ('up'),
    // RFC 9126 §5 `require_pushed_authorization_requests`, for the client and in the metadata.
    requirePar: false,
  }
  const spaOrigins = new Set([spaOrigin, ...extraRedirectUris.map((uri) => new URL(uri).origin)])

  const provider = new Provider(issuer, {
    clients: [spaClient({ clientId, spaOrigin, spaOrigins, extraRedirectUris })],
    clientDefaults: { id_token_signed_response_alg: SIGNING_ALG },
    enabledJWA: { idTokenSigningAlgValues: [SIGNING_ALG] },
    jwks: await generateSigningJwks(),
    cookies: { keys: generateCookieKeys() },
    routes: ROUTES,
    responseTypes: ['code'],
    // Only S256 exists in oidc-provider 9; this makes PKCE mandatory whatever the client.
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'email', 'offline_access', API_SCOPE, REPORTS_SCOPE],
    claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
    // Access tokens are for the API, not the userinfo endpoint, so profile claims go in the ID token.
    conformIdTokenClaims: false,
    findAccount,
    loadExistingGrant: grantEverythingRequested,
    acrValues: [PASSWORD_ACR, STRONG_ACR],
    interactions: { policy: stepUpPolicy() },
    // RFC 9068 §2.2.1: `acr` and `auth_time` in the API's JWT access tokens, which oidc-provider
    // leaves out by default; the API decides a step-up by them (RFC 9470 §3).
    extraTokenClaims: authenticationClaims,
    clientBasedCORS: (/** @type {KoaContext} */ _ctx, /** @type {string} */ origin, /** @type {OidcClient} */ client) =>
      client.clientId === clientId && spaOrigins.has(origin),
    // The default wants `offline_access` plus consent; the SDK always needs a refresh token.
    issueRefreshToken: async (/** @type {KoaContext} */ _ctx, /** @type {OidcClient} */ client) =>
      client.grantTypeAllowed('refresh_token'),
    // The default does not rotate sender-constrained tokens early; the SDK is tested against rotation.
    rotateRefreshToken: () => true,
    ttl: {
      AccessToken: () => settings.accessTokenTtl,
      IdToken: () => settings.accessTokenTtl,
      RefreshToken: ONE_DAY,
      Session: ONE_DAY,
      Grant: ONE_DAY,
      Interaction: 60 * 60,
    },
    renderError,
    features: {
      devInteractions: { enabled: true },
      revocation: {
        enabled: true,
        // Only the client's own tokens; a foreign one is ignored (200, nothing revoked) as oidc-provider's default does.
        allowedPolicy: async (
          /** @type {KoaContext} */ _ctx,
          /** @type {OidcClient} */ client,
          /** @type {OidcToken} */ token,
        ) => token.clientId === client.clientId,
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: createLogoutSource(clientId),
        postLogoutSuccessSource,
      },
      dPoP: {
        enabled: true,
        // Without a nonce secret oidc-provider neither issues nor CORS-exposes DPoP-Nonce.
        nonceSecret: randomBytes(32),
        requireNonce: () => settings.requireDpopNonce,
      },
      resourceIndicators: resourceIndicators({ apiOrigin, settings }),
      // RFC 9126; required only when a test sets `requirePar` (test-hooks.js).
      pushedAuthorizationRequests: { enabled: true },
    },
  })
  recordAuthenticationContext(provider)

  provider.on('server_error', (/** @type {KoaContext} */ ctx, /** @type {Error} */ err) => {
    console.error(`provider: server_error on ${ctx.method} ${ctx.path}: ${err.message}`)
  })

  // As Amazon Cognito's does: a popup showing these pages loses its `window.opener` (HTML §7.1.3),
  // which the SDK's popup login must not need.
  provider.use(crossOriginOpenerPolicy)
  if (log) provider.use(logRequest)
  if (testHooks) {
    const hooks = createTestHooks({ provider, clientId, corsOrigins: spaOrigins, routes: ROUTES, settings })
    provider.use(hooks.serve)
    provider.use(hooks.observe)
  }

  const server = createServer(issuerPath ? mountAt(issuerPath, provider.callback()) : provider.callback())
  await listen(server, port)
  return { issuer, close: () => closeServer(server) }
}

/**
 * @param {object} options
 * @param {string} options.clientId
 * @param {string} options.spaOrigin
 * @param {Set<string>} options.spaOrigins
 * @param {string[]} options.extraRedirectUris
 */
function spaClient({ clientId, spaOrigin, spaOrigins, extraRedirectUris }) {
  return {
    client_id: clientId,
    client_name: 'oauth-enclave demo SPA',
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [`${spaOrigin}/callback`, ...extraRedirectUris],
    post_logout_redirect_uris: [...spaOrigins].flatMap((origin) => [`${origin}/`, `${origin}/logged-out`]),
  }
}

/**
 * `features.resourceIndicators` (RFC 8707): two resource servers on the API's origin, the API
 * (`<apiOrigin>/`, audience `<apiOrigin>`) and its reports (`<apiOrigin>/reports`, audience the same
 * URL), each with its own scope. A token request that names no resource is for the API; the
 * access tokens are JWTs (RFC 9068) each can verify without calling back.
 *
 * @param {{ apiOrigin: string, settings: { accessTokenTtl: number } }} options
 */
function resourceIndicators({ apiOrigin, settings }) {
  /** @type {Record<string, { audience: string, scope: string }>} by indicator path */
  const servers = {
    '/': { audience: apiOrigin, scope: API_SCOPE },
    '/reports': { audience: `${apiOrigin}/reports`, scope: REPORTS_SCOPE },
  }
  /** @param {string} indicator */
  const serverOf = (indicator) => {
    const url = URL.parse(indicator)
    if (!url || url.origin !== apiOrigin || url.search || url.hash) return undefined
    return Object.hasOwn(servers, url.pathname) ? servers[url.pathname] : undefined
  }
  /** @param {string} indicator */
  const isApi = (indicator) => serverOf(indicator) === servers['/']
  return {
    enabled: true,
    defaultResource: async (
      /** @type {KoaContext} */ _ctx,
      /** @type {OidcClient} */ _client,
      /** @type {string[] | undefined} */ oneOf,
    ) => (oneOf ? (oneOf.find(isApi) ?? oneOf[0]) : apiOrigin),
    // The refresh token remembers its resource; without this a refresh that asks for `openid`
    // would get an opaque userinfo-only access token instead of an API one.
    useGrantedResource: async () => true,
    getResourceServerInfo: async (/** @type {KoaContext} */ _ctx, /** @type {string} */ indicator) => {
      const server = serverOf(indicator)
      if (!server) throw new errors.InvalidTarget()
      return {
        ...server,
        accessTokenFormat: 'jwt',
        accessTokenTTL: settings.accessTokenTtl,
        jwt: { sign: { alg: SIGNING_ALG } },
      }
    },
  }
}

/**
 * The default interaction policy, plus: a request whose `acr_values` the session's `acr` is not
 * among asks the user to log in again. (oidc-provider treats `acr_values` as voluntary, OpenID
 * Connect Core §3.1.2.1, and would otherwise answer with the session's weaker class.)
 */
function stepUpPolicy() {
  const policy = interactionPolicy.base()
  policy.get('login').checks.add(
    new interactionPolicy.Check(
      'acr_values',
      'a stronger authentication is requested',
      (/** @type {KoaContext} */ ctx) => {
        const asked = ctx.oidc.params.acr_values
        if (typeof asked !== 'string' || asked.split(' ').includes(ctx.oidc.acr)) {
          return interactionPolicy.Check.NO_NEED_TO_PROMPT
        }
        return interactionPolicy.Check.REQUEST_PROMPT
      },
    ),
  )
  return policy
}

/**
 * devInteractions' login page sets no `acr`: a login answers the strongest class its request asked
 * for among the demo's (`STRONG_ACR`), else `PASSWORD_ACR`.
 *
 * @param {import('oidc-provider').Provider} provider
 */
function recordAuthenticationContext(provider) {
  const finish = provider.interactionFinished.bind(provider)
  /** @type {typeof provider.interactionFinished} */
  provider.interactionFinished = async (req, res, result, options) => {
    if (result?.login) {
      const { params } = await provider.interactionDetails(req, res)
      const asked = typeof params.acr_values === 'string' ? params.acr_values.split(' ') : []
      result = { ...result, login: { ...result.login, acr: asked.includes(STRONG_ACR) ? STRONG_ACR : PASSWORD_ACR } }
    }
    return finish(req, res, result, options)
  }
}

/**
 * `extraTokenClaims`: the authentication's `acr` and `auth_time`, from the code or refresh token the
 * access token is issued for.
 *
 * @param {KoaContext} ctx
 */
async function authenticationClaims(ctx) {
  const source = ctx.oidc.entities.AuthorizationCode ?? ctx.oidc.entities.RefreshToken
  if (!source) return undefined
  return {
    ...(source.acr && { acr: source.acr }),
    ...(source.authTime && { auth_time: source.authTime }),
  }
}

/**
 * `findAccount`: any login is a valid account, as devInteractions accepts any password.
 *
 * @param {KoaContext} _ctx
 * @param {string} accountId
 */
async function findAccount(_ctx, accountId) {
  return {
    accountId,
    claims: async () => ({
      sub: accountId,
      name: `Demo User ${accountId}`,
      email: `${accountId}@example.test`,
    }),
  }
}

/**
 * `loadExistingGrant`: the only client is first-party, so whatever it asks for is granted and the
 * consent page never shows (login, then straight back to the SPA).
 *
 * @param {KoaContext} ctx
 */
async function grantEverythingRequested(ctx) {
  const { oidc } = ctx
  const { Grant } = oidc.provider
  const accountId = oidc.session.accountId
  const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(oidc.client.clientId)
  const existing = grantId ? await Grant.find(grantId) : undefined
  const grant = existing?.accountId === accountId ? existing : new Grant({ accountId, clientId: oidc.client.clientId })

  grant.addOIDCScope([...oidc.requestParamOIDCScopes])
  grant.addOIDCClaims([...oidc.requestParamClaims])
  for (const [indicator, resourceServer] of Object.entries(oidc.resourceServers)) {
    const scopes = [...oidc.requestParamScopes].filter((scope) => resourceServer.scopes.has(scope))
    grant.addResourceScope(indicator, scopes)
  }
  await grant.save()
  return grant
}

/**
 * Method and path only: the query string can carry an authorization code.
 *
 * @param {KoaContext} ctx
 * @param {() => Promise<void>} next
 */
async function logRequest(ctx, next) {
  try {
    await next()
  } finally {
    console.log(`provider: ${ctx.method} ${ctx.path} ${ctx.status}`)
  }
}

/**
 * `Cross-Origin-Opener-Policy: same-origin` on every answer.
 *
 * @param {KoaContext} ctx
 * @param {() => Promise<void>} next
 */
async function crossOriginOpenerPolicy(ctx, next) {
  await next()
  ctx.set('Cross-Origin-Opener-Policy', 'same-origin')
}
