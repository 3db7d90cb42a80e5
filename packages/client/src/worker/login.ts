import { createAuthorizationRequest, TRANSACTION_TTL_MS } from '../protocol/authorization'
import { assertIssuer, validateCallback } from '../protocol/callback'
import { createDPoPHandle, generateDPoPKeyPair } from '../protocol/dpop'
import { pushAuthorizationRequest } from '../protocol/par'
import type { ProviderContext } from '../protocol/provider'
import { assertAuthenticationContext } from '../protocol/step-up'
import { exchangeCode, type TokenSet } from '../protocol/tokens'
import { POPUP_STATE_PREFIX } from '../shared/callback-url'
import { AuthError, isAuthError } from '../shared/errors'
import { isDPoPKeyPair, parseTransaction, transactionKeysRecord, transactionRecord } from './vault-records'
import type { Vault } from './vault'

/** A login in a popup waiting for its callback: held in this worker's memory only. */
export interface PendingLogin {
  readonly value: unknown
  readonly keys: unknown
}

export interface LoginDeps {
  /** Always the IndexedDB vault: a transaction must survive the navigation to the provider. */
  readonly vault: Vault
  /**
   * Logins in a popup, by `state`: the page that opened the popup stays, and with it this worker,
   * so their transactions never touch storage; no other tab's worker can complete them.
   */
  readonly popups: Map<string, PendingLogin>
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
  /** A login in a popup: the transaction stays in memory (`LoginDeps.popups`). */
  readonly popup: boolean
}

/**
 * Starts a login: a fresh PKCE verifier, state and nonce, and with DPoP a fresh key pair
 * (RFC 9449 §10 `dpop_jkt`), all kept encrypted in the vault until the callback. With PAR the
 * request is pushed first, with a DPoP proof of that key (RFC 9449 §10.1), and the URL returned
 * carries only `client_id` and `request_uri` (RFC 9126 §4).
 */
export async function beginLogin(
  ctx: ProviderContext,
  input: LoginParams,
  deps: LoginDeps,
): Promise<{ url: URL; state: string }> {
  const keys = input.dpop ? await generateDPoPKeyPair() : null
  const dpop = keys ? createDPoPHandle(ctx.client, keys) : null
  const dpopJkt = dpop ? await dpop.calculateThumbprint() : null
  const { url, transaction } = await createAuthorizationRequest(ctx, { ...input, dpopJkt, now: deps.now() })
  const target = input.par ? await pushAuthorizationRequest(ctx, url, dpop) : url
  const { state } = transaction
  if (input.popup) {
    // One popup at a time per tab: a new one replaces any the user left behind.
    deps.popups.clear()
    deps.popups.set(state, { value: transaction, keys: keys ?? undefined })
  } else {
    await deps.vault.write(transactionRecord(state), transaction, { name: transactionKeysRecord(state), pair: keys })
  }
  return { url: target, state }
}

/** The stored transaction of `state`, consumed: from memory for a popup's, else from the vault. */
async function takeTransaction(state: string, deps: LoginDeps): Promise<PendingLogin> {
  if (state.startsWith(POPUP_STATE_PREFIX)) {
    const pending = deps.popups.get(state) ?? { value: undefined, keys: undefined }
    deps.popups.delete(state)
    return pending
  }
  let stored: PendingLogin
  try {
    stored = await deps.vault.readWithKeys(transactionRecord(state), transactionKeysRecord(state))
  } catch (error) {
    // Undecryptable: not a login of ours.
    if (!isAuthError(error, 'login_required')) throw error
    stored = { value: undefined, keys: undefined }
  }
  await deps.vault.remove(transactionRecord(state), transactionKeysRecord(state))
  return stored
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

  const stored = await takeTransaction(state, deps)
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

  try {
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
  } catch (error) {
    // The app can go back where the login started, e.g. after a `prompt=none` that needs the user.
    if (isAuthError(error) && transaction.returnTo !== null) {
      Object.defineProperty(error, 'returnTo', { value: transaction.returnTo, enumerable: true })
    }
    throw error
  }
}
