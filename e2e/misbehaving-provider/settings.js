// @ts-check
/**
 * Where the misbehaving provider listens and what it can be told to do; shared by its server,
 * `playwright.config.ts` and the spec.
 */
export const port = Number(process.env.MISBEHAVING_PORT ?? 9300)
export const issuer = `http://127.0.0.1:${port}`

/**
 * Each mode breaks one step, modelled on the OpenID RP certification cases; `ok` breaks nothing.
 * `/authorize` modes change the redirect back; `token-*` and `id-token-*` the token response;
 * `discovery-*` the metadata.
 */
export const MODES = /** @type {const} */ ([
  'ok',
  'state-wrong',
  'state-missing',
  'iss-other',
  'iss-missing',
  'access-denied',
  'token-invalid-grant',
  'token-500-html',
  'token-not-json',
  'token-no-access-token',
  'token-type-mac',
  'token-unreachable',
  'token-hang',
  'id-token-nonce',
  'id-token-aud',
  'id-token-iss',
  'id-token-expired',
  'id-token-azp',
  'id-token-azp-multi',
  'discovery-issuer-other',
  'discovery-issuer-slash',
])

/** @typedef {(typeof MODES)[number]} Mode */
