import { afterEach, describe, expect, it, vi } from 'vitest'
import { createDPoPHandle, generateDPoPKeyPair } from '../../src/protocol/dpop'
import type { TokenSet } from '../../src/protocol/tokens'
import { createResourceFetcher, sendAllowed, type ResourceRequest } from '../../src/worker/resource-fetch'
import type { ActiveSession, Session } from '../../src/worker/session'
import { CLIENT_ID } from '../support/fake-provider'
import { wireRequest } from '../support/wire-request'

const API = 'https://api.example.test/v1/things'

function tokens(accessToken: string, tokenType: TokenSet['tokenType'] = 'Bearer'): TokenSet {
  return {
    accessToken,
    refreshToken: 'rt',
    tokenType,
    expiresAt: null,
    receivedAt: 0,
    idToken: null,
    claims: null,
    scope: null,
  }
}

function active(accessToken: string, dpop: ActiveSession['dpop'] = null): ActiveSession {
  return { sessionId: 's1', tokens: tokens(accessToken, dpop ? 'DPoP' : 'Bearer'), keys: null, dpop, apis: {} }
}

/** A session that hands out `first`, and `at-<n>` for the n-th refresh. */
function fakeSession(first: ActiveSession, current = () => true) {
  const refreshed: string[] = []
  const session = {
    active: async () => first,
    isCurrent: () => current(),
    refresh: async (stale: string) => {
      refreshed.push(stale)
      return { ...first, tokens: tokens(`at-${refreshed.length}`, first.tokens.tokenType) }
    },
  } as Partial<Session> as Session
  return { session, refreshed }
}

interface Sent {
  readonly url: string
  readonly headers: Headers
  readonly redirect: RequestRedirect | undefined
  readonly method: string | undefined
}

/** Stubs the global `fetch`: answers come from `answers` in order, the last one repeating. */
function stubFetch(...answers: (() => Response)[]): Sent[] {
  const sent: Sent[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string | URL, init?: RequestInit) => {
      // A retry without bound would spin here without ever yielding to the test's timeout.
      if (sent.length === 5) throw new Error('sent five times: a retry loop')
      sent.push({
        url: String(url),
        headers: new Headers(init?.headers),
        redirect: init?.redirect,
        method: init?.method,
      })
      return (answers[sent.length - 1] ?? answers.at(-1)!)()
    }),
  )
  return sent
}

const ok = () => new Response('ok')
const invalidToken = () =>
  new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } })
const nonceChallenge = () =>
  new Response(null, {
    status: 401,
    headers: { 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': 'nonce-1' },
  })
/** What `fetch` gives for a redirect under `redirect: 'manual'`; a constructed Response cannot be one. */
const opaqueRedirect = () => {
  const response = new Response(null, { status: 200 })
  Object.defineProperty(response, 'type', { value: 'opaqueredirect' })
  return response
}

function request(init: RequestInit = {}, redirect: RequestRedirect = 'follow'): ResourceRequest {
  return { url: new URL(API), init, redirect, signal: new AbortController().signal }
}

function proofClaims(headers: Headers): Record<string, unknown> {
  const payload = headers.get('dpop')!.split('.')[1]!
  return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>
}

afterEach(() => vi.unstubAllGlobals())

describe('sendAllowed', () => {
  it('sends the access token as a Bearer credential, never following a redirect itself', async () => {
    const sent = stubFetch(ok)
    const response = await sendAllowed(fakeSession(active('at-0')).session, request())
    expect(await response.text()).toBe('ok')
    expect(sent).toHaveLength(1)
    expect(sent[0]!.headers.get('authorization')).toBe('Bearer at-0')
    expect(sent[0]!.redirect).toBe('manual')
  })

  it('refuses with login_required, sending nothing, when the session ended meanwhile', async () => {
    const sent = stubFetch(ok)
    const { session } = fakeSession(active('at-0'), () => false)
    await expect(sendAllowed(session, request())).rejects.toMatchObject({ code: 'login_required' })
    expect(sent).toHaveLength(0)
  })

  it('answers a DPoP nonce challenge once, with a proof carrying the nonce (RFC 9449 §9)', async () => {
    const dpop = createDPoPHandle({ client_id: CLIENT_ID }, await generateDPoPKeyPair())
    const sent = stubFetch(nonceChallenge, ok)
    const response = await sendAllowed(fakeSession(active('at-0', dpop)).session, request())
    expect(response.status).toBe(200)
    expect(sent).toHaveLength(2)
    expect(sent[0]!.headers.get('authorization')).toBe('DPoP at-0')
    expect(proofClaims(sent[0]!.headers).nonce).toBeUndefined()
    expect(proofClaims(sent[1]!.headers).nonce).toBe('nonce-1')
  })

  it('answers a second nonce challenge with the challenge itself, not a loop', async () => {
    const dpop = createDPoPHandle({ client_id: CLIENT_ID }, await generateDPoPKeyPair())
    const sent = stubFetch(nonceChallenge)
    const response = await sendAllowed(fakeSession(active('at-0', dpop)).session, request())
    expect(response.status).toBe(401)
    expect(sent).toHaveLength(2)
  })

  it('refreshes once on a 401 invalid_token and sends the new token (RFC 6750 §3.1)', async () => {
    const sent = stubFetch(invalidToken, ok)
    const { session, refreshed } = fakeSession(active('at-0'))
    const response = await sendAllowed(session, request())
    expect(response.status).toBe(200)
    expect(refreshed).toEqual(['at-0'])
    expect(sent.map((s) => s.headers.get('authorization'))).toEqual(['Bearer at-0', 'Bearer at-1'])
  })

  it('gives the second 401 invalid_token back to the caller instead of refreshing again', async () => {
    const sent = stubFetch(invalidToken)
    const { session, refreshed } = fakeSession(active('at-0'))
    const response = await sendAllowed(session, request())
    expect(response.status).toBe(401)
    expect(refreshed).toEqual(['at-0'])
    expect(sent).toHaveLength(2)
  })

  it('does not refresh for a 401 with another error, nor for a 403 invalid_token', async () => {
    const other = () =>
      new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_request"' } })
    const forbidden = () =>
      new Response(null, { status: 403, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } })
    for (const answer of [other, forbidden]) {
      const sent = stubFetch(answer)
      const { session, refreshed } = fakeSession(active('at-0'))
      expect((await sendAllowed(session, request())).status).toBe(answer().status)
      expect(refreshed).toEqual([])
      expect(sent).toHaveLength(1)
    }
  })

  it('never sends a stream body twice: no retry for a nonce, none for a refused token', async () => {
    const body = () => new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new Uint8Array([1])), c.close()) })
    const streaming = (): RequestInit & { duplex: 'half' } => ({ method: 'POST', body: body(), duplex: 'half' })

    const dpop = createDPoPHandle({ client_id: CLIENT_ID }, await generateDPoPKeyPair())
    const nonceSent = stubFetch(nonceChallenge, ok)
    expect((await sendAllowed(fakeSession(active('at-0', dpop)).session, request(streaming()))).status).toBe(401)
    expect(nonceSent).toHaveLength(1)

    const tokenSent = stubFetch(invalidToken, ok)
    const { session, refreshed } = fakeSession(active('at-0'))
    expect((await sendAllowed(session, request(streaming()))).status).toBe(401)
    expect(tokenSent).toHaveLength(1)
    expect(refreshed).toEqual([])
  })

  it('retries a buffered body: it can be sent again', async () => {
    const sent = stubFetch(invalidToken, ok)
    const { session } = fakeSession(active('at-0'))
    const response = await sendAllowed(session, request({ method: 'PUT', body: new Uint8Array([1, 2]) }))
    expect(response.status).toBe(200)
    expect(sent.map((s) => s.method)).toEqual(['PUT', 'PUT'])
  })
})

describe('sendAllowed and a resource server whose clock is off (RFC 9449 §11.1)', () => {
  /** The API's refusal of a proof, dated `offset` seconds off the local clock. */
  const refusedAt = (offset: number) => () =>
    new Response(null, {
      status: 401,
      headers: {
        'www-authenticate': 'DPoP error="invalid_dpop_proof"',
        date: new Date(Date.now() + offset * 1000).toUTCString(),
      },
    })
  const skewedRequest = (host: string): ResourceRequest => ({ ...request(), url: new URL(`https://${host}/v1/me`) })
  const proofSkew = (sent: Sent) => (proofClaims(sent.headers).iat as number) - Math.floor(Date.now() / 1000)

  it("sends once more with a proof dated by the server's Date, then dates every proof to it so", async () => {
    const dpop = createDPoPHandle({ client_id: CLIENT_ID }, await generateDPoPKeyPair())
    const sent = stubFetch(refusedAt(-360), ok, ok)
    const { session, refreshed } = fakeSession(active('at-0', dpop))
    expect((await sendAllowed(session, skewedRequest('behind.example.test'))).status).toBe(200)
    expect((await sendAllowed(session, skewedRequest('behind.example.test'))).status).toBe(200)
    expect(sent).toHaveLength(3)
    expect(refreshed).toEqual([])
    expect(proofSkew(sent[0]!)).toBeCloseTo(0, -1)
    expect(proofSkew(sent[1]!)).toBeCloseTo(-360, -1)
    expect(proofSkew(sent[2]!)).toBeCloseTo(-360, -1)
  })

  it('retries once only, and not for a Date that agrees, none beyond 10 minutes, nor a Bearer token', async () => {
    const dpop = createDPoPHandle({ client_id: CLIENT_ID }, await generateDPoPKeyPair())
    const cases = [
      { host: 'ahead.example.test', answers: [refusedAt(300), refusedAt(600)], dpop, sends: 2 },
      { host: 'agrees.example.test', answers: [refusedAt(2)], dpop, sends: 1 },
      { host: 'broken.example.test', answers: [refusedAt(3_600)], dpop, sends: 1 },
      { host: 'bearer.example.test', answers: [refusedAt(300)], dpop: null, sends: 1 },
    ]
    for (const { host, answers, dpop, sends } of cases) {
      const sent = stubFetch(...answers)
      expect((await sendAllowed(fakeSession(active('at-0', dpop)).session, skewedRequest(host))).status).toBe(401)
      expect(sent, host).toHaveLength(sends)
    }
  })

  it('never sends a stream body twice for it', async () => {
    const dpop = createDPoPHandle({ client_id: CLIENT_ID }, await generateDPoPKeyPair())
    const sent = stubFetch(refusedAt(300), ok)
    const body = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new Uint8Array([1])), c.close()) })
    const streaming = { ...skewedRequest('streamed.example.test'), init: { method: 'POST', body, duplex: 'half' } }
    expect((await sendAllowed(fakeSession(active('at-0', dpop)).session, streaming as ResourceRequest)).status).toBe(
      401,
    )
    expect(sent).toHaveLength(1)
  })
})

describe('sendAllowed and a step-up challenge (RFC 9470 §3)', () => {
  it('rejects step_up_required with the acr_values and max_age asked, keeping the session: no refresh, no retry', async () => {
    const sent = stubFetch(
      () =>
        new Response(null, {
          status: 401,
          headers: {
            'www-authenticate': 'Bearer error="insufficient_user_authentication", acr_values="urn:mfa", max_age="300"',
          },
        }),
    )
    const { session, refreshed } = fakeSession(active('at-0'))
    await expect(sendAllowed(session, request())).rejects.toMatchObject({
      name: 'AuthError',
      code: 'step_up_required',
      acrValues: 'urn:mfa',
      maxAge: 300,
    })
    expect(sent).toHaveLength(1)
    expect(refreshed).toEqual([])
  })
})

describe('a redirect from an allowed target', () => {
  it("hands the opaque redirect to a caller that asked for 'manual'", async () => {
    const sent = stubFetch(opaqueRedirect, ok)
    const response = await sendAllowed(fakeSession(active('at-0')).session, request({}, 'manual'))
    expect(response.type).toBe('opaqueredirect')
    expect(sent).toHaveLength(1)
  })

  it("fails like fetch for a caller that asked for 'error'", async () => {
    const sent = stubFetch(opaqueRedirect, ok)
    await expect(sendAllowed(fakeSession(active('at-0')).session, request({}, 'error'))).rejects.toThrow(TypeError)
    expect(sent).toHaveLength(1)
  })

  it.each(['GET', 'HEAD'])('sends a %s again without credentials, following the redirect', async (method) => {
    const sent = stubFetch(opaqueRedirect, ok)
    const response = await sendAllowed(fakeSession(active('at-0')).session, request({ method }, 'follow'))
    expect(response.status).toBe(200)
    expect(sent).toHaveLength(2)
    expect(sent[0]!.headers.get('authorization')).toBe('Bearer at-0')
    expect(sent[1]!.headers.has('authorization')).toBe(false)
    expect(sent[1]!.redirect).toBe('follow')
    expect(sent[1]!.url).toBe(API)
  })

  it.each(['POST', 'PUT', 'DELETE', 'post'])('does not repeat a %s: it fails like fetch', async (method) => {
    const sent = stubFetch(opaqueRedirect, ok)
    const pending = sendAllowed(fakeSession(active('at-0')).session, request({ method, body: 'x' }, 'follow'))
    await expect(pending).rejects.toThrow(TypeError)
    expect(sent).toHaveLength(1)
  })
})

describe('createResourceFetcher', () => {
  const wire = (url: string, abortable = false) => wireRequest(url, { id: 7, abortable })

  it('attaches credentials only for an allowed target', async () => {
    const sent = stubFetch(ok)
    const fetcher = createResourceFetcher({
      session: fakeSession(active('at-0')).session,
      targetOf: (url) => (url.href.startsWith(API) ? { url: API, api: null } : undefined),
    })
    await fetcher.fetch(wire(API))
    await fetcher.fetch(wire('https://elsewhere.example.test/'))
    expect(sent.map((s) => s.headers.get('authorization'))).toEqual(['Bearer at-0', null])
  })

  it("sends an API's own token to that API: the session is asked for the entry the URL matched", async () => {
    const sent = stubFetch(ok, ok)
    const api = {
      key: 'https://api.example.test/reports/',
      scope: 'reports',
      resource: [],
      tokenParams: {},
      dpop: false,
    }
    const asked: unknown[] = []
    const session = {
      active: async (entry: unknown) => {
        asked.push(entry)
        return active(entry ? 'at-reports' : 'at-0')
      },
      isCurrent: () => true,
    } as Partial<Session> as Session
    const fetcher = createResourceFetcher({
      session,
      targetOf: (url) => (url.pathname.startsWith('/reports/') ? { url: api.key, api } : { url: API, api: null }),
    })
    await fetcher.fetch(wire('https://api.example.test/reports/x'))
    await fetcher.fetch(wire(API))
    expect(asked).toEqual([api, null])
    expect(sent.map((s) => s.headers.get('authorization'))).toEqual(['Bearer at-reports', 'Bearer at-0'])
  })

  it('aborts a request in flight by its id', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        (_url: string, init: RequestInit) =>
          new Promise<Response>((_, reject) =>
            init.signal!.addEventListener('abort', () => reject(init.signal!.reason)),
          ),
      ),
    )
    const fetcher = createResourceFetcher({
      session: fakeSession(active('at-0')).session,
      targetOf: () => ({ url: API, api: null }),
    })
    const pending = fetcher.fetch(wire(API, true))
    await vi.waitFor(() => expect(fetch).toHaveBeenCalled())
    fetcher.abort(7)
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
  })
})
