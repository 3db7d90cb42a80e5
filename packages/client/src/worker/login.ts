import { createAuthorizationRequest } from '../protocol/authorization'
import { assertIssuer, validateCallback } from '../protocol/callback'
import { createDPoPHandle, generateDPoPKeyPair } from '../protocol/dpop'
import type { ProviderContext } from '../protocol/provider'
import { exchangeCode, type TokenSet } from '../protocol/tokens'
import { AuthError, isAuthError } from '../shared/errors'
import { parseTransaction, transactionKeysRecord, transactionRecord } from './vault-records'
import type { Vault } from './vault'

export interface LoginDeps {
  /** Always the IndexedDB vault: a transaction must survive the navigation to the provider. */
  readonly vault: Vault
  readonly now: () => number
}

/** What the authorization request is made of, besides what the worker generates. */
export interface LoginParams {
  readonly redirectUri: string
  readonly scope: string
  readonly returnTo: string | null
  readonly extraParams: Record<string, string>
  readonly dpop: boolean
}

/**
 * Starts a login: a fresh PKCE verifier, state and nonce, and with DPoP a fresh key pair
 * (RFC 9449 §10 `dpop_jkt`), all kept encrypted in the vault until the callback.
 */
export async function beginLogin(ctx: ProviderContext, input: LoginParams, deps: LoginDeps): Promise<URL> {
  const keys = input.dpop ? await generateDPoPKeyPair() : null
  const dpopJkt = keys ? await createDPoPHandle(ctx.client, keys).calculateThumbprint() : null
  const { url, transaction } = await createAuthorizationRequest(ctx, { ...input, dpopJkt, now: deps.now() })
  if (keys) await deps.vault.writeKeys(transactionKeysRecord(transaction.state), keys)
  await deps.vault.write(transactionRecord(transaction.state), transaction)
  return url
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
 * @throws AuthError `invalid_state` for a missing, unknown, expired or used `state`; what
 *   {@link validateCallback} and {@link exchangeCode} throw otherwise.
 */
export async function completeLogin(ctx: ProviderContext, url: URL, deps: LoginDeps): Promise<CompletedLogin> {
  const state = url.searchParams.get('state')
  try {
    assertIssuer(ctx, url)
  } catch (error) {
    // A mix-up attempt burns the transaction it names.
    if (state) await deps.vault.remove(transactionRecord(state), transactionKeysRecord(state))
    throw error
  }
  if (!state) throw new AuthError('invalid_state', 'callback: the "state" parameter is missing')

  let stored: unknown
  try {
    stored = await deps.vault.read(transactionRecord(state))
  } catch (error) {
    if (!isAuthError(error, 'login_required')) throw error
    stored = undefined
  }
  const keys = await deps.vault.readKeys(transactionKeysRecord(state))
  await deps.vault.remove(transactionRecord(state), transactionKeysRecord(state))

  const transaction = parseTransaction(stored)
  if (!transaction || transaction.state !== state) {
    throw new AuthError('invalid_state', 'callback: no login is waiting for this "state"')
  }
  if (deps.now() > transaction.expiresAt) throw new AuthError('invalid_state', 'callback: the login has expired')

  const callbackParams = validateCallback(ctx, url, transaction.state)
  const tokens = await exchangeCode(
    ctx,
    {
      callbackParams,
      redirectUri: transaction.redirectUri,
      codeVerifier: transaction.codeVerifier,
      nonce: transaction.nonce,
    },
    { dpop: keys ? createDPoPHandle(ctx.client, keys) : null, now: deps.now },
  )
  return { tokens, keys: tokens.tokenType === 'DPoP' ? (keys ?? null) : null, returnTo: transaction.returnTo }
}
