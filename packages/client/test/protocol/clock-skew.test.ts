import { describe, expect, it } from 'vitest'
import {
  CLOCK_NOISE_SECONDS,
  createServerClocks,
  dateOf,
  idTokenIssuedAt,
  MAX_CLOCK_OFFSET_SECONDS,
  providerTimeOf,
} from '../../src/protocol/clock-skew'
import { jsonResponse, signJwt } from '../support/fake-provider'

const A = 'https://a.example.test'
const B = 'https://b.example.test'
/** A local arrival time, epoch ms, with a fraction of a second. */
const AT = 1_800_000_000_400

describe('createServerClocks', () => {
  it('knows no offset for a server not heard from', () => {
    expect(createServerClocks().offset(A)).toBe(0)
  })

  it('records server minus local time in whole seconds, per origin', () => {
    const clocks = createServerClocks()
    clocks.observe(A, AT / 1000 + 360, AT)
    clocks.observe(B, AT / 1000 - 299.6, AT)
    expect(clocks.offset(A)).toBe(360)
    expect(clocks.offset(B)).toBe(-300)
    // The newest answer wins: clocks drift, and get fixed.
    clocks.observe(A, AT / 1000 + 2, AT)
    expect(clocks.offset(A)).toBe(2)
  })

  it('believes at most 10 minutes either way, and ignores a time that is not a number', () => {
    expect(MAX_CLOCK_OFFSET_SECONDS).toBe(600)
    const clocks = createServerClocks()
    for (const seconds of [600, -600]) {
      clocks.observe(A, AT / 1000 + seconds, AT)
      expect(clocks.offset(A)).toBe(seconds)
    }
    for (const wild of [601, -601, 86_400, NaN, Infinity, -Infinity]) {
      expect(clocks.observe(A, AT / 1000 + wild, AT)).toBe(false)
      expect(clocks.offset(A)).toBe(-600)
    }
  })

  it('says whether the offset moved by more than the noise: a proof may have been refused for it', () => {
    const clocks = createServerClocks()
    expect(clocks.observe(A, AT / 1000 + CLOCK_NOISE_SECONDS, AT)).toBe(false)
    expect(clocks.observe(A, AT / 1000 + 2 * CLOCK_NOISE_SECONDS + 1, AT)).toBe(true)
    expect(clocks.observe(A, AT / 1000 + 2 * CLOCK_NOISE_SECONDS + 1, AT)).toBe(false)
    expect(clocks.observe(A, AT / 1000 - 300, AT)).toBe(true)
    expect(clocks.observe(B, AT / 1000 - 300, AT)).toBe(true)
  })
})

describe('dateOf', () => {
  it("reads a response's Date (RFC 9110 §6.6.1) in epoch seconds, NaN without one", () => {
    const dated = new Response(null, { headers: { date: 'Tue, 15 Jan 2030 08:00:00 GMT' } })
    expect(dateOf(dated)).toBe(Date.UTC(2030, 0, 15, 8) / 1000)
    expect(dateOf(new Response(null))).toBeNaN()
    expect(dateOf(new Response(null, { headers: { date: 'yesterday' } }))).toBeNaN()
  })
})

describe('idTokenIssuedAt', () => {
  it("reads the ID token's iat before validation, leaving the body to be read", async () => {
    // `~~~` and `???` in a claim put `-` and `_` into the base64url payload.
    const idToken = await signJwt({ iat: 1_900_000_123, name: '~~~???' })
    expect(idToken.split('.')[1]).toMatch(/-.*_|_.*-/)
    const response = jsonResponse(200, { access_token: 'at', token_type: 'Bearer', id_token: idToken })
    expect(await idTokenIssuedAt(response)).toBe(1_900_000_123)
    expect(await response.json()).toMatchObject({ id_token: idToken })
  })

  it('is NaN without an ID token, a JSON body, or a numeric iat', async () => {
    const answers = [
      jsonResponse(200, { access_token: 'at', token_type: 'Bearer' }),
      jsonResponse(400, { error: 'invalid_grant' }),
      new Response('<html>'),
      jsonResponse(200, { id_token: 'not a jwt' }),
      jsonResponse(200, { id_token: await signJwt({ iat: '1900000123' }) }),
    ]
    for (const answer of answers) expect(await idTokenIssuedAt(answer)).toBeNaN()
  })
})

describe('providerTimeOf', () => {
  it("takes the Date when it can be read, else the ID token's iat", async () => {
    const idToken = await signJwt({ iat: 1_900_000_123 })
    const body = { access_token: 'at', token_type: 'Bearer', id_token: idToken }
    const dated = new Response(JSON.stringify(body), { headers: { date: 'Tue, 15 Jan 2030 08:00:00 GMT' } })
    expect(await providerTimeOf(dated)).toBe(Date.UTC(2030, 0, 15, 8) / 1000)
    expect(await providerTimeOf(jsonResponse(200, body))).toBe(1_900_000_123)
  })
})
