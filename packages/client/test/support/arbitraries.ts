/**
 * fast-check generators for what a provider can send back: authorization responses (callback URLs)
 * and token endpoint responses. Each generates a recipe, plain data that prints well when a property
 * fails, turned into a URL or a `Response` once the real `state`, code and nonce are known.
 */
import fc from 'fast-check'
import { CLIENT_ID, ISSUER, OTHER_CLIENT, OTHER_ISSUER, SUBJECT, signJwt } from './fake-provider'

/** A parameter given once (mostly), not at all, or twice (RFC 6749 §3.1 forbids repeats). */
function occurrences<T>(value: fc.Arbitrary<T>, absentWeight = 1): fc.Arbitrary<T[]> {
  return fc.oneof(
    { weight: 8, arbitrary: value.map((v) => [v]) },
    { weight: absentWeight, arbitrary: fc.constant<T[]>([]) },
    { weight: 1, arbitrary: fc.tuple(value, value) },
  )
}

/** Any text, including non-ASCII and the characters URLs encode. */
const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('', ' ', '%', '&', '=', '+', '#'))

// ---- Authorization responses (RFC 6749 §4.1.2, RFC 9207) ----

export type StateVariant = 'exact' | 'appended' | 'truncated' | 'uppercased' | 'padded' | 'empty' | { other: string }
export type IssVariant = 'issuer' | 'slash' | 'other' | 'uppercased' | 'empty' | { other: string }
export type CodeVariant = 'issued' | 'other' | 'empty'

export interface CallbackRecipe {
  readonly state: readonly StateVariant[]
  readonly iss: readonly IssVariant[]
  readonly code: readonly CodeVariant[]
  readonly error: readonly string[]
  /** Other parameters, including ones the SDK must refuse (`response`, `id_token`, `token`). */
  readonly extras: readonly [string, string][]
  /** Orders the parameters. */
  readonly shuffle: number
  readonly fragment: string | null
  /** When set, the whole query string instead of the parameters above. */
  readonly rawQuery: string | null
}

const stateVariant: fc.Arbitrary<StateVariant> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('exact' as const) },
  { weight: 3, arbitrary: fc.constantFrom('appended', 'truncated', 'uppercased', 'padded', 'empty') },
  { weight: 1, arbitrary: text.map((other) => ({ other })) },
)

const issVariant: fc.Arbitrary<IssVariant> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('issuer' as const) },
  { weight: 3, arbitrary: fc.constantFrom('slash', 'other', 'uppercased', 'empty') },
  { weight: 1, arbitrary: fc.oneof(text, fc.webUrl()).map((other) => ({ other })) },
)

const codeVariant: fc.Arbitrary<CodeVariant> = fc.oneof(
  { weight: 8, arbitrary: fc.constant('issued' as const) },
  { weight: 1, arbitrary: fc.constantFrom('other', 'empty') },
)

const oauthError = fc.oneof(
  fc.constantFrom('access_denied', 'invalid_request', 'invalid_scope', 'server_error', 'temporarily_unavailable'),
  text,
)

const extraName = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('error_description', 'error_uri', 'session_state', 'scope') },
  { weight: 1, arbitrary: fc.constantFrom('response', 'id_token', 'token') },
  { weight: 2, arbitrary: text },
)

export const callbackRecipe: fc.Arbitrary<CallbackRecipe> = fc.oneof(
  {
    weight: 19,
    arbitrary: fc.record({
      state: occurrences(stateVariant),
      iss: occurrences(issVariant),
      code: occurrences(codeVariant),
      error: fc.oneof(
        { weight: 6, arbitrary: fc.constant<string[]>([]) },
        { weight: 2, arbitrary: occurrences(oauthError, 0) },
      ),
      extras: fc.array(fc.tuple(extraName, text), { maxLength: 3 }),
      shuffle: fc.nat(),
      fragment: fc.option(text, { freq: 5 }),
      rawQuery: fc.constant(null),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      state: fc.constant([]),
      iss: fc.constant([]),
      code: fc.constant([]),
      error: fc.constant([]),
      extras: fc.constant([]),
      shuffle: fc.constant(0),
      fragment: fc.constant(null),
      rawQuery: text,
    }),
  },
)

/** What the real flow produced: the values a recipe varies. */
export interface CallbackContext {
  readonly redirectUri: string
  readonly state: string
  readonly code: string
}

function stateValue(variant: StateVariant, real: string): string {
  switch (variant) {
    case 'exact':
      return real
    case 'appended':
      return `${real}x`
    case 'truncated':
      return real.slice(0, -1)
    case 'uppercased':
      return real.toUpperCase() === real ? real.toLowerCase() : real.toUpperCase()
    case 'padded':
      return ` ${real}`
    case 'empty':
      return ''
    default:
      return variant.other
  }
}

function issValue(variant: IssVariant): string {
  switch (variant) {
    case 'issuer':
      return ISSUER
    case 'slash':
      return `${ISSUER}/`
    case 'other':
      return OTHER_ISSUER
    case 'uppercased':
      return ISSUER.toUpperCase()
    case 'empty':
      return ''
    default:
      return variant.other
  }
}

function codeValue(variant: CodeVariant, real: string): string {
  return variant === 'issued' ? real : variant === 'other' ? `${real}0` : ''
}

/** Deterministic in `seed`: the order is part of the recipe, so failures replay. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items]
  let s = seed >>> 0
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0
    const j = s % (i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

export function callbackUrl(recipe: CallbackRecipe, real: CallbackContext): URL {
  const url = new URL(real.redirectUri)
  if (recipe.rawQuery !== null) {
    url.search = recipe.rawQuery
    return url
  }
  const params: [string, string][] = [
    ...recipe.state.map((v): [string, string] => ['state', stateValue(v, real.state)]),
    ...recipe.iss.map((v): [string, string] => ['iss', issValue(v)]),
    ...recipe.code.map((v): [string, string] => ['code', codeValue(v, real.code)]),
    ...recipe.error.map((v): [string, string] => ['error', v]),
    ...recipe.extras,
  ]
  for (const [name, value] of shuffled(params, recipe.shuffle)) url.searchParams.append(name, value)
  if (recipe.fragment !== null) url.hash = recipe.fragment
  return url
}

// ---- Token responses (RFC 6749 §5.1, §5.2; OpenID Connect Core §3.1.3.3, §3.1.3.7) ----

/** Stands for the nonce of the authorization request, known only when the test runs. */
export const EXPECTED_NONCE = '<expected nonce>'

/** A JSON value and whether a correct client accepts it there. */
type Judged = readonly [value: unknown, valid: boolean]
const ABSENT = undefined

/** Mostly valid: a response is valid only when all its fields are, and a quarter of them should be. */
function judged(valid: fc.Arbitrary<unknown>[], invalid: fc.Arbitrary<unknown>[]) {
  return fc.oneof(
    { weight: 24, arbitrary: fc.oneof(...valid).map((v): Judged => [v, true]) },
    { weight: 1, arbitrary: fc.oneof(...invalid).map((v): Judged => [v, false]) },
  )
}

/** A token value: long and random, so no message contains one by chance. */
export const tokenValue = fc.stringMatching(/^[A-Za-z0-9_-]{24,48}$/)
const notAString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }))
const now = () => Math.floor(Date.now() / 1000)

const idTokenClaims = fc.record({
  iss: judged([fc.constant(ISSUER)], [fc.constantFrom(OTHER_ISSUER, `${ISSUER}/`, ABSENT), text, fc.integer()]),
  // Several audiences are judged with `azp` by the oracle.
  aud: judged(
    [fc.constantFrom(CLIENT_ID, [CLIENT_ID], [CLIENT_ID, OTHER_CLIENT])],
    [fc.constantFrom(OTHER_CLIENT, [OTHER_CLIENT], [], ABSENT), text, fc.integer()],
  ),
  sub: judged([fc.constant(SUBJECT)], [fc.constant(ABSENT), fc.integer(), fc.constant(null)]),
  nonce: judged([fc.constant(EXPECTED_NONCE)], [fc.constant(ABSENT), text, fc.integer()]),
  // `exp` and `nbf` are judged by the provider's clock, which `iat` tells (src/protocol/clock-skew.ts):
  // an `iat` up to 5 minutes old says the provider is that far behind, so an `exp` is refused only
  // when it is past by more than that, and a valid `nbf` is never after the `iat`.
  exp: judged(
    [fc.integer({ min: 60, max: 86_400 }).map((s) => now() + s)],
    [fc.integer({ min: 700, max: 86_400 }).map((s) => now() - s), fc.constant(ABSENT), fc.constant('soon')],
  ),
  iat: judged([fc.integer({ min: 0, max: 300 }).map((s) => now() - s)], [fc.constant(ABSENT), fc.constant('now')]),
  nbf: judged(
    [fc.constant(ABSENT), fc.integer({ min: 300, max: 600 }).map((s) => now() - s)],
    [fc.integer({ min: 600, max: 86_400 }).map((s) => now() + s), fc.constant('later')],
  ),
  // OpenID Connect Core §3.1.3.7 step 5: `azp`, when present, is this client.
  azp: judged([fc.constantFrom(ABSENT, CLIENT_ID)], [fc.constant(OTHER_CLIENT), fc.integer()]),
  auth_time: judged([fc.constant(ABSENT), fc.constant(now() - 60)], [fc.constant('yesterday')]),
})

/** An ID token: signed claims, or something that is not a usable JWT at all. */
const idToken = fc.oneof(
  { weight: 8, arbitrary: idTokenClaims.map((claims) => ({ kind: 'jwt' as const, claims })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'absent' as const }) },
  { weight: 1, arbitrary: fc.oneof(text, notAString).map((value) => ({ kind: 'garbage' as const, value })) },
)

export interface TokenResponseRecipe {
  /** `unreachable`: fetch rejects; `timeout`: the wait is cut off (what `AbortSignal.timeout` does). */
  readonly network: 'answer' | 'unreachable' | 'timeout'
  readonly status: number
  readonly contentType: string | null
  readonly challenge: string | null
  readonly body:
    | { kind: 'json'; fields: Record<string, Judged>; idToken: IdTokenRecipe; extra: Record<string, unknown> }
    | { kind: 'other-json'; value: unknown }
    | { kind: 'text'; value: string }
}

export type IdTokenRecipe =
  { kind: 'jwt'; claims: Record<string, Judged> } | { kind: 'absent' } | { kind: 'garbage'; value: unknown }

const tokenFields = fc.record({
  access_token: judged([tokenValue], [fc.constant(ABSENT), fc.constant(''), notAString]),
  token_type: judged(
    [fc.constantFrom('Bearer', 'bearer', 'BEARER')],
    [fc.constantFrom('mac', 'DPoP', '', ABSENT), notAString],
  ),
  expires_in: judged(
    [fc.constant(ABSENT), fc.nat({ max: 86_400 }), fc.nat({ max: 86_400 }).map(String)],
    [fc.integer({ min: -86_400, max: -1 }), fc.constant('soon'), fc.constant(null)],
  ),
  refresh_token: judged([fc.constant(ABSENT), tokenValue], [fc.constant(''), notAString]),
  scope: judged([fc.constant(ABSENT), fc.constantFrom('openid', 'openid profile')], [fc.integer(), fc.constant(null)]),
})

const TOKEN_FIELDS = new Set(['access_token', 'token_type', 'expires_in', 'refresh_token', 'scope', 'id_token'])
/** Members a client ignores, `error` among them: a 200 is judged by its token members. */
const extraMembers = fc.dictionary(
  fc.oneof(fc.constantFrom('error', 'error_description', 'id_token_hint'), fc.string()),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 3 },
)

export const tokenResponseRecipe: fc.Arbitrary<TokenResponseRecipe> = fc.record({
  network: fc.oneof(
    { weight: 18, arbitrary: fc.constant('answer' as const) },
    { weight: 1, arbitrary: fc.constantFrom('unreachable' as const, 'timeout' as const) },
  ),
  status: fc.oneof(
    { weight: 12, arbitrary: fc.constant(200) },
    { weight: 4, arbitrary: fc.constantFrom(201, 400, 401, 403, 404, 429, 500, 502, 503) },
    { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }).filter((s) => ![204, 205, 304].includes(s)) },
  ),
  contentType: fc.constantFrom(
    'application/json',
    'application/json;charset=UTF-8',
    'text/html',
    'text/plain',
    'application/x-www-form-urlencoded',
    null,
  ),
  challenge: fc.oneof(
    { weight: 8, arbitrary: fc.constant(null) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('Bearer error="invalid_token"', 'DPoP error="use_dpop_nonce"', 'Basic realm="x"', '='),
    },
  ),
  body: fc.oneof(
    {
      weight: 16,
      arbitrary: fc.record({ kind: fc.constant('json' as const), fields: tokenFields, idToken, extra: extraMembers }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('other-json' as const), value: fc.jsonValue() }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('text' as const),
        value: fc.oneof(
          text,
          fc.constant('<!doctype html><h1>500 Internal Server Error</h1>'),
          tokenValue.map((t) => `access_token=${t}&token_type=bearer`),
        ),
      }),
    },
  ),
}) as fc.Arbitrary<TokenResponseRecipe>

const isValid = (fields: Record<string, Judged>): boolean => Object.values(fields).every(([, valid]) => valid)

/**
 * The oracle: whether a correct client accepts this answer to a code exchange that sent `nonce`
 * (RFC 6749 §5.1, OpenID Connect Core §3.1.3.7). Content type and `WWW-Authenticate` do not matter
 * for a 200 whose body is a JSON object.
 */
export function acceptable(recipe: TokenResponseRecipe): boolean {
  if (recipe.network !== 'answer' || recipe.status !== 200 || recipe.body.kind !== 'json') return false
  const { fields, idToken: id } = recipe.body
  if (!isValid(fields)) return false
  // With a nonce sent, the ID token is required (OpenID Connect Core §3.1.3.3).
  if (id.kind !== 'jwt' || !isValid(id.claims)) return false
  // §3.1.3.7 steps 3-5: with several audiences, `azp` must be present, and this client.
  const aud = id.claims.aud?.[0]
  return !(Array.isArray(aud) && aud.length > 1 && id.claims.azp?.[0] !== CLIENT_ID)
}

function materialize(fields: Record<string, Judged>, nonce: string | null): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, [value]] of Object.entries(fields)) {
    if (value === ABSENT) continue
    out[name] = value === EXPECTED_NONCE ? nonce : value
  }
  return out
}

/** The answer for `recipe`; rejects as fetch would when the provider cannot be reached. */
export async function tokenResponse(recipe: TokenResponseRecipe, nonce: string | null): Promise<Response> {
  if (recipe.network === 'unreachable') throw new TypeError('Failed to fetch')
  if (recipe.network === 'timeout') throw new DOMException('signal timed out', 'TimeoutError')
  const headers = new Headers()
  if (recipe.contentType !== null) headers.set('content-type', recipe.contentType)
  if (recipe.challenge !== null) headers.set('www-authenticate', recipe.challenge)
  let body: string
  if (recipe.body.kind === 'json') {
    const extra = Object.entries(recipe.body.extra).filter(([name]) => !TOKEN_FIELDS.has(name))
    const json = { ...Object.fromEntries(extra), ...materialize(recipe.body.fields, nonce) }
    const id = recipe.body.idToken
    if (id.kind === 'jwt') json.id_token = await signJwt(materialize(id.claims, nonce))
    else if (id.kind === 'garbage') json.id_token = id.value
    body = JSON.stringify(json)
  } else if (recipe.body.kind === 'other-json') {
    body = JSON.stringify(recipe.body.value)
  } else {
    body = recipe.body.value
  }
  return new Response(body, { status: recipe.status, headers })
}

/** The token values a response carries, to look for where they must not be. */
export function tokenValuesIn(recipe: TokenResponseRecipe): string[] {
  if (recipe.body.kind === 'text') return [...recipe.body.value.matchAll(/access_token=([\w-]+)/g)].map((m) => m[1]!)
  if (recipe.body.kind !== 'json') return []
  const { access_token, refresh_token } = recipe.body.fields
  return [access_token?.[0], refresh_token?.[0]].filter((v): v is string => typeof v === 'string' && v.length >= 24)
}
