/**
 * Script of the origin can use the vault's keys (non-extractable, but usable by the
 * origin), so it can write records the worker reads. The property under test: **no token the SDK
 * holds is ever bound to a key that can leave the browser**, whatever was planted.
 *
 * Each test plants a login transaction as an attacker who has read the SDK's source would (sealed
 * with the vault's own AES key, under its record names), sends the browser to the provider with
 * that transaction's `state`, PKCE challenge and `dpop_jkt`, and lets the SDK's callback run.
 */
import type { Page } from '@playwright/test'
import { SEALED_FORMAT, VAULT_DATABASE, VAULT_STORE } from '../support/sdk-names'
import { providerCounters } from '../support/servers.js'
import { login } from '../support/spa-session.js'
import { demo, expect, test } from '../support/test'

/** Where and how the vault keeps its records. */
const VAULT = { database: VAULT_DATABASE, store: VAULT_STORE, format: SEALED_FORMAT }

interface Plant {
  /** The DPoP key pair stored beside the transaction: exportable, non-extractable as the worker's, or none. */
  readonly keys: 'exportable' | 'non-extractable' | 'none'
  /** How far in the future the transaction claims to expire, in ms. */
  readonly expiresInMs: number
}

/** Plants a transaction in the vault and returns the authorization URL for it. */
async function plantTransaction(page: Page, plant: Plant): Promise<string> {
  return page.evaluate(
    async ({ plant, issuer, clientId, scope, redirectUri, vault }) => {
      const request = <T>(req: IDBRequest<T>) =>
        new Promise<T>((resolve, reject) => {
          req.onsuccess = () => resolve(req.result)
          req.onerror = () => reject(req.error)
        })
      const b64u = (bytes: Uint8Array) =>
        btoa(String.fromCharCode(...bytes))
          .replace(/\+/g, '-')
          .replace(/\//g, '_')
          .replace(/=+$/, '')
      const random = () => b64u(crypto.getRandomValues(new Uint8Array(32)))
      const state = random()
      const codeVerifier = random()
      const challenge = b64u(
        new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier))),
      )
      const { format } = vault

      const db = await request(indexedDB.open(vault.database))
      const read = db.transaction(vault.store, 'readonly').objectStore(vault.store)
      const sealingKey = (await request(read.get([issuer, clientId, 'key']))) as CryptoKey
      const seal = async (name: string, value: unknown) => {
        const iv = crypto.getRandomValues(new Uint8Array(12))
        const additionalData = new TextEncoder().encode(JSON.stringify([format, issuer, clientId, name]))
        const plaintext = new TextEncoder().encode(JSON.stringify(value))
        const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData }, sealingKey, plaintext)
        return { format, iv, ciphertext }
      }
      const transaction = {
        state,
        nonce: null,
        codeVerifier,
        redirectUri,
        returnTo: null,
        expiresAt: Date.now() + plant.expiresInMs,
      }
      const sealed = await seal(`tx:${state}`, transaction)
      let dpopJkt: string | null = null
      let keys: CryptoKeyPair | null = null
      if (plant.keys !== 'none') {
        const extractable = plant.keys === 'exportable'
        keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, extractable, ['sign', 'verify'])
        const { crv, kty, x, y } = await crypto.subtle.exportKey('jwk', keys.publicKey)
        const canonical = JSON.stringify({ crv, kty, x, y })
        dpopJkt = b64u(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical))))
      }
      const write = db.transaction(vault.store, 'readwrite').objectStore(vault.store)
      write.put(sealed, [issuer, clientId, `tx:${state}`])
      if (keys) write.put(keys, [issuer, clientId, `tx-dpop-key:${state}`])
      await new Promise((resolve, reject) => {
        write.transaction.oncomplete = resolve
        write.transaction.onerror = () => reject(write.transaction.error)
      })
      db.close()

      const url = new URL(`${issuer}/auth`)
      const params = {
        client_id: clientId,
        response_type: 'code',
        redirect_uri: redirectUri,
        scope,
        state,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        ...(dpopJkt && { dpop_jkt: dpopJkt }),
      }
      for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value)
      return url.href
    },
    {
      plant,
      issuer: demo.issuer,
      clientId: demo.clientId,
      scope: demo.scope,
      redirectUri: `${demo.spaOrigin}/callback`,
      vault: VAULT,
    },
  )
}

const MINUTE = 60_000

for (const [what, plant] of [
  ['with a DPoP key pair the attacker can export', { keys: 'exportable', expiresInMs: 5 * MINUTE }],
  [
    'with no DPoP key although the provider offers DPoP (silently Bearer on a naive client)',
    { keys: 'none', expiresInMs: 5 * MINUTE },
  ],
  [
    'that claims to expire in a year (its keys as the worker makes them)',
    { keys: 'non-extractable', expiresInMs: 365 * 24 * 60 * MINUTE },
  ],
] as const) {
  test(`a planted login transaction ${what} is refused with invalid_state; no code is redeemed, no token issued`, async ({
    page,
  }) => {
    // A session at the provider, so the planted authorization request comes straight back.
    await login(page)
    const authorizationUrl = await plantTransaction(page, plant)
    const before = await providerCounters()
    await page.goto(authorizationUrl)
    await page.waitForURL(`${demo.spaOrigin}/`)
    await expect(page.getByTestId('error')).toContainText('invalid_state')
    const after = await providerCounters()
    expect(after.token.authorization_code).toBe(before.token.authorization_code)
  })
}

test('a sealing key swapped for an exportable one is replaced: the next login seals under a key that cannot leave the browser', async ({
  page,
}) => {
  await page.goto('/')
  await expect(page.getByTestId('status')).toHaveText('Signed out')
  await page.evaluate(
    async ({ issuer, clientId, vault }) => {
      const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt'])
      const db = await new Promise<IDBDatabase>((resolve) => {
        const open = indexedDB.open(vault.database)
        open.onsuccess = () => resolve(open.result)
      })
      const tx = db.transaction(vault.store, 'readwrite')
      tx.objectStore(vault.store).put(key, [issuer, clientId, 'key'])
      await new Promise((resolve) => (tx.oncomplete = resolve))
      db.close()
    },
    { issuer: demo.issuer, clientId: demo.clientId, vault: VAULT },
  )
  await page.reload()
  await login(page)
  const keys = await page.evaluate(
    async ({ issuer, clientId, vault }) => {
      const db = await new Promise<IDBDatabase>((resolve) => {
        const open = indexedDB.open(vault.database)
        open.onsuccess = () => resolve(open.result)
      })
      const store = db.transaction(vault.store, 'readonly').objectStore(vault.store)
      const get = (name: string) =>
        new Promise<unknown>((resolve) => {
          const req = store.get([issuer, clientId, name])
          req.onsuccess = () => resolve(req.result)
        })
      const sealing = (await get('key')) as CryptoKey
      const dpop = (await get('session-dpop-key')) as CryptoKeyPair
      db.close()
      return { sealing: sealing.extractable, dpopPrivate: dpop.privateKey.extractable }
    },
    { issuer: demo.issuer, clientId: demo.clientId, vault: VAULT },
  )
  expect(keys).toEqual({ sealing: false, dpopPrivate: false })
})
