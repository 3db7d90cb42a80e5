import { createAuthorizationRequest, TRANSACTION_TTL_MS } from '../protocol/authorization'
import { assertIssuer, validateCallback } from '../protocol/callback'
import { createDPoPHandle, generateDPoPKeyPair } from '../protocol/dpop'
import { pushAuthorizationRequest } from '../protocol/par'
import type { ProviderContext } from '../protocol/provider'
import { assertAuthenticationContext } from '../protocol/step-up'
import { exchangeCode, type TokenSet } from '../protocol/tokens'
import { AuthError, isAuthError } from '../shared/errors'
import { isDPoPKeyPair, parseTransaction, transactionKeysRecord, transactionRecord } from './vault-records'
import type { Vault } from './vault'

export interface LoginDeps {
  /** Always the IndexedDB vault: a transaction must survive the navigation to the provider. */
  readonly vault: Vault
  readonly now: () => number
}

export interface CallbackDeps extends LoginDeps {
  /** Whether DPoP is in effect: a transaction without its key pair is then refused. */
  readonly dpop: boolean
}

/** What the authorization request is made of, besides what the worker generates. */
export interface LoginParams {
  readonly redirectUri: string
  readonly scope: string
  readonly returnTo: string | null
  readonly extraParams: Record<string, string>
  readonly acrValues: string | null
  readonly maxAge: number | null
  readonly resource: readonly string[]
  readonly dpop: boolean
  /** Whether the request is pushed (RFC 9126), as decided by `parInEffect`. */
  readonly par: boolean
}

/**
 * Starts a login: a fresh PKCE verifier, state and nonce, and with DPoP a fresh key pair
 * (RFC 9449 §10 `dpop_jkt`), all kept encrypted in the vault until the callback. With PAR the
 * request is pushed first, with a DPoP proof of that key (RFC 9449 §10.1), and the URL returned
 * carries only `client_id` and `request_uri` (RFC 9126 §4).
 */
export async function beginLogin(ctx: ProviderContext, input: LoginParams, deps: LoginDeps): Promise<URL> {
  const keys = input.dpop ? await generateDPoPKeyPair() : null
  const dpop = keys ? createDPoPHandle(ctx.client, keys) : null
  const dpopJkt = dpop ? await dpop.calculateThumbprint() : null
  const { url, transaction } = await createAuthorizationRequest(ctx, { ...input, dpopJkt, now: deps.now() })
  const target = input.par ? await pushAuthorizationRequest(ctx, url, dpop) : url
  const { state } = transaction
  await deps.vault.write(transactionRecord(state), transaction, { name: transactionKeysRecord(state), pair: keys })
  return target
}

export interface CompletedLogin {
  readonly tokens: TokenSet
  readonly keys: CryptoKeyPair | null
  readonly returnTo: string | null
}

/**
 * Completes a login from the callback URL. The transaction is consumed before anything else, so
 * a replayed callback finds none (RFC 6749 §10.12, RFC 9700 §4.7.1).
 *
 * @throws AuthError `invalid_state` for a missing, unknown, expired or used `state`, or a
 *   transaction the worker did not write (a key pair it would not make, none where DPoP is in
 *   effect, an expiry beyond its lifetime); `invalid_id_token` when the ID token's `acr` is not one
 *   of the `acr_values` asked for, or its `auth_time` older than `max_age`; what
 *   {@link validateCallback} and {@link exchangeCode} throw otherwise.
 */
export async function completeLogin(ctx: ProviderContext, url: URL, deps: CallbackDeps): Promise<CompletedLogin> {
  const state = url.searchParams.get('state')
  try {
    assertIssuer(ctx, url)
  } catch (error) {
    // A mix-up attempt burns the transaction it names.
    if (state) await deps.vault.remove(transactionRecord(state), transactionKeysRecord(state))
    throw error
  }
  if (!state) throw new AuthError('invalid_state', 'callback: the "state" parameter is missing')

  let stored: { value: unknown; keys: unknown }
  try {
    stored = await deps.vault.readWithKeys(transactionRecord(state), transactionKeysRecord(state))
  } catch (error) {
    // Undecryptable: not a login of ours.
    if (!isAuthError(error, 'login_required')) throw error
    stored = { value: undefined, keys: undefined }
  }
  await deps.vault.remove(transactionRecord(state), transactionKeysRecord(state))

  const transaction = parseTransaction(stored.value)
  const keys = isDPoPKeyPair(stored.keys) ? stored.keys : null
  if (!transaction || transaction.state !== state) {
    throw new AuthError('invalid_state', 'callback: no login for this "state"')
  }
  // By this worker's clock, whatever the record says: it may have been written by script of the
  // origin, which can seal records with the vault's key.
  const left = transaction.expiresAt - deps.now()
  if (!(left >= 0 && left <= TRANSACTION_TTL_MS))
    throw new AuthError('invalid_state', 'callback: the login has expired')
  // No token is ever bound to a key that can leave the browser, or left unbound where DPoP is in
  // effect (RFC 9449 §10: the code is bound to the transaction's key): only a key pair the worker
  // would make is used, and none at all is refused under DPoP.
  if (keys === null && (deps.dpop || stored.keys !== undefined)) {
    throw new AuthError('invalid_state', 'callback: no DPoP key of its own')
  }

  const callbackParams = validateCallback(ctx, url, transaction.state)
  const tokens = await exchangeCode(
    ctx,
    {
      callbackParams,
      redirectUri: transaction.redirectUri,
      codeVerifier: transaction.codeVerifier,
      nonce: transaction.nonce,
      maxAge: transaction.maxAge,
    },
    { dpop: keys ? createDPoPHandle(ctx.client, keys) : null, now: deps.now },
  )
  assertAuthenticationContext(tokens.claims, transaction.acrValues)
  return { tokens, keys: tokens.tokenType === 'DPoP' ? keys : null, returnTo: transaction.returnTo }
}
