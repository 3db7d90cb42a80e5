import type { Page } from '@playwright/test'
import { generateKeyPair, exportJWK, SignJWT } from 'jose'
import { inVault } from './support/page-idb'
import {
  apiSettings,
  clearRequestLog,
  issuedTokens,
  lastAccessTokenLifetimeMs,
  providerCounters,
  providerSettings,
  requestLog,
  SHORT_TOKEN_TTL_SECONDS,
} from './support/servers.js'
import { login, logout } from './support/spa-session.js'
import { demo, expect, test } from './support/test'

const me = `${demo.apiOrigin}/api/me`

async function callMe(page: Page) {
  return page.evaluate(async (url) => {
    const response = await window.auth.fetch(url)
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }, me)
}

/** The vault's DPoP key record as the page could see it, without exporting anything. */
async function storedDpopKey(page: Page) {
  return inVault(
    page,
    async (vault) => {
      const record = (await vault.entries()).find(({ key }) => Array.isArray(key) && key[2] === 'session-dpop-key')
      if (!record) return null
      const pair = record.value as CryptoKeyPair
      const exported = await crypto.subtle.exportKey('jwk', pair.privateKey).then(
        () => 'exported',
        (error: Error) => error.name,
      )
      const publicJwk = await crypto.subtle.exportKey('jwk', pair.publicKey)
      return {
        algorithm: (pair.privateKey.algorithm as EcKeyAlgorithm).namedCurve,
        extractable: pair.privateKey.extractable,
        exported,
        x: publicJwk.x,
      }
    },
    undefined,
  )
}

test('tokens are DPoP-bound to a non-extractable key that survives a reload and is gone after logout', async ({
  page,
}) => {
  await login(page)
  const first = await callMe(page)
  expect(first).toMatchObject({ status: 200, body: { tokenType: 'DPoP', jkt: expect.any(String) } })
  expect(await page.evaluate(() => window.auth.getState())).toMatchObject({ tokenType: 'DPoP' })

  const key = await storedDpopKey(page)
  expect(key).toMatchObject({ algorithm: 'P-256', extractable: false, exported: 'InvalidAccessError' })

  await page.reload()
  await expect(page.getByTestId('status')).toHaveText('Signed in')
  expect((await callMe(page)).body.jkt).toBe(first.body.jkt)
  expect((await storedDpopKey(page))?.x).toBe(key!.x)

  await logout(page)
  expect(await storedDpopKey(page)).toBeNull()

  // A new login gets a new key.
  await login(page)
  expect((await callMe(page)).body.jkt).not.toBe(first.body.jkt)
})

test('DPoP nonces from the provider and from the API each cost exactly one retry', async ({ page }) => {
  await providerSettings({ requireDpopNonce: true })
  await apiSettings({ requireDpopNonce: true })
  const before = await providerCounters()
  await login(page)
  // The pushed authorization request (RFC 9126, the demo provider offers it) and, after the redirect,
  // in a new page's worker that has not seen the nonce, the code exchange: one use_dpop_nonce each.
  const after = await providerCounters()
  expect(after.par.requests - before.par.requests).toBe(1)
  expect(after.dpopNonceChallenges - before.dpopNonceChallenges).toBe(2)

  await clearRequestLog(demo.apiOrigin)
  expect(await callMe(page)).toMatchObject({ status: 200, body: { tokenType: 'DPoP' } })
  expect(await callMe(page)).toMatchObject({ status: 200 })
  const calls = (await requestLog(demo.apiOrigin)).filter((r) => r.path === '/api/me' && r.method === 'GET')
  // First call: a challenge and one retry; the second reuses the cached nonce.
  expect(calls).toHaveLength(3)
})

test('a refresh works with DPoP', async ({ page }) => {
  await providerSettings({ accessTokenTtl: SHORT_TOKEN_TTL_SECONDS })
  await login(page)
  const first = await callMe(page)
  const before = await providerCounters()
  // Past half the token's life: the next call refreshes first.
  await page.waitForTimeout((await lastAccessTokenLifetimeMs()) / 2 + 200)
  const second = await callMe(page)
  expect((await providerCounters()).token.refresh_token - before.token.refresh_token).toBe(1)
  expect(second).toMatchObject({ status: 200, body: { tokenType: 'DPoP', jkt: first.body.jkt } })
})

test('stolen tokens are useless outside the browser', async ({ page }) => {
  await login(page)
  expect((await callMe(page)).status).toBe(200)
  const tokens = await issuedTokens()
  const accessToken = tokens.access.at(-1)!
  const refreshToken = tokens.refresh.at(-1)!

  // The access token replayed as Bearer, and as DPoP without a proof.
  const asBearer = await fetch(me, { headers: { authorization: `Bearer ${accessToken}` } })
  expect(asBearer.status).toBe(401)
  const withoutProof = await fetch(me, { headers: { authorization: `DPoP ${accessToken}` } })
  expect(withoutProof.status).toBe(401)

  // With a proof from another key: the token is bound to the browser's key.
  const { privateKey, publicKey } = await generateKeyPair('ES256')
  const proof = await new SignJWT({
    htm: 'GET',
    htu: me,
    jti: crypto.randomUUID(),
    ath: Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken))).toString(
      'base64url',
    ),
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(publicKey) })
    .setIssuedAt()
    .sign(privateKey)
  const otherKey = await fetch(me, { headers: { authorization: `DPoP ${accessToken}`, dpop: proof } })
  expect(otherKey.status).toBe(401)

  // The refresh token replayed at the token endpoint without the key.
  const refresh = await fetch(`${demo.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'demo-spa' }),
  })
  expect(refresh.status).toBe(400)
  expect(await refresh.json()).toMatchObject({ error: expect.stringMatching(/invalid_grant|invalid_dpop_proof/) })
})
