import * as oauth from 'oauth4webapi'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { generateDPoPKeyPair } from '../../src/protocol/dpop'
import type { ProviderContext } from '../../src/protocol/provider'
import type { TokenSet } from '../../src/protocol/tokens'
import type { AuthState } from '../../src/shared/types'
import { withRefreshLock } from '../../src/worker/refresh-lock'
import { createBackoff } from '../../src/worker/backoff'
import type { ApiConfig } from '../../src/worker/config'
import { createSession, refreshDue, type SessionDeps } from '../../src/worker/session'
import { createSessionHold, NO_SESSION_HOLD } from '../../src/worker/session-hold'
import { SESSION_KEYS_RECORD, SESSION_RECORD } from '../../src/worker/vault-records'
import { createTabSync } from '../../src/worker/tab-sync'
import { createIndexedDbVault, createMemoryVault, type Vault } from '../../src/worker/vault'

const TOKEN_ENDPOINT = 'https://as.example.test/token'
const ctx: ProviderContext = {
  as: { issuer: 'https://as.example.test', token_endpoint: TOKEN_ENDPOINT },
  client: { client_id: 'spa', token_endpoint_auth_method: 'none' },
  clientAuth: oauth.None(),
  http: {},
}

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let now = start
  return { now: () => now, advance: (ms: number) => void (now += ms) }
}

function tokens(now: number, lifetimeSeconds = 300, n = 0): TokenSet {
  return {
    accessToken: `at-${n}`,
    refreshToken: `rt-${n}`,
    tokenType: 'Bearer',
    expiresAt: now + lifetimeSeconds * 1000,
    receivedAt: now,
    idToken: null,
    claims: { sub: 'alice' },
    scope: 'openid',
  }
}

/** Stubs the token endpoint; `answer` decides each refresh's response. */
function tokenEndpoint(answer: (n: number) => Response | Promise<Response>) {
  let calls = 0
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      if (url !== TOKEN_ENDPOINT) throw new Error(`unexpected fetch ${url}`)
      calls++
      await new Promise((resolve) => setTimeout(resolve, 5))
      return answer(calls)
    }),
  )
  return { calls: () => calls }
}

const issued = (n: number) =>
  Response.json({ access_token: `at-${n}`, refresh_token: `rt-${n}`, token_type: 'Bearer', expires_in: 300 })

function deps(overrides: Partial<SessionDeps> & Pick<SessionDeps, 'now'>): SessionDeps & { states: AuthState[] } {
  const states: AuthState[] = []
  return {
    vault: createMemoryVault(),
    shared: false,
    provider: async () => ctx,
    client: ctx.client,
    leewayMs: 30_000,
    emit: (state) => states.push(state),
    withLock: (task) => task(),
    broadcast: () => {},
    hold: NO_SESSION_HOLD,
    // The lowest jitter draw: the first wait after a transient failure is 500 ms.
    backoff: createBackoff({ now: overrides.now, random: () => 0, onLine: () => true, events: new EventTarget() }),
    states,
    ...overrides,
  }
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('refreshDue', () => {
  const t0 = 1_000_000
  it.each([
    ['long before expiry', 300, 100_000, 30_000, false],
    ['just outside the leeway', 300, 269_999, 30_000, false],
    ['at the leeway', 300, 270_000, 30_000, true],
    ['after expiry', 300, 400_000, 30_000, true],
    ['a 4 s token, leeway capped at half its life: not yet', 4, 1_999, 30_000, false],
    ['a 4 s token at half its life', 4, 2_000, 30_000, true],
    ['zero leeway, just before expiry', 300, 299_999, 0, false],
  ])('%s', (_, lifetime, elapsed, leeway, due) => {
    expect(refreshDue(tokens(t0, lifetime), t0 + elapsed, leeway)).toBe(due)
  })

  it('never refreshes a token without expires_in proactively', () => {
    expect(refreshDue({ expiresAt: null, receivedAt: 0 }, Number.MAX_SAFE_INTEGER, 30_000)).toBe(false)
  })
})

describe('session loading', () => {
  it('reads a Bearer session whatever lies beside it in place of DPoP keys', async () => {
    const c = clock()
    const vault = createMemoryVault()
    const extractable = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])
    await vault.write(
      SESSION_RECORD,
      { sessionId: 's1', tokens: tokens(c.now()) },
      { name: SESSION_KEYS_RECORD, pair: extractable },
    )
    expect(await createSession(deps({ now: c.now, vault })).state()).toMatchObject({ authenticated: true })
  })
})

describe('isCurrent', () => {
  it('holds for the login a session belongs to, not for an earlier one that another replaced', async () => {
    const c = clock()
    const session = createSession(deps({ now: c.now }))
    await session.replace(tokens(c.now()), null)
    const first = await session.active()
    expect(session.isCurrent(first)).toBe(true)
    await session.replace(tokens(c.now(), 300, 1), null)
    expect(session.isCurrent(first)).toBe(false)
    expect(session.isCurrent(await session.active())).toBe(true)
  })
})

describe('session refresh', () => {
  it('does not refresh a fresh token', async () => {
    const time = clock()
    const endpoint = tokenEndpoint(issued)
    const session = createSession(deps({ now: time.now }))
    await session.replace(tokens(time.now()), null)
    time.advance(200_000)
    expect((await session.active()).tokens.accessToken).toBe('at-0')
    expect(endpoint.calls()).toBe(0)
  })

  it('makes one token request for 25 concurrent callers at expiry, and reports the new expiry', async () => {
    const time = clock()
    const endpoint = tokenEndpoint(issued)
    const d = deps({ now: time.now })
    const session = createSession(d)
    await session.replace(tokens(time.now()), null)
    time.advance(280_000)
    const results = await Promise.all(Array.from({ length: 25 }, () => session.active()))
    expect(endpoint.calls()).toBe(1)
    expect(new Set(results.map((s) => s.tokens.accessToken))).toEqual(new Set(['at-1']))
    expect(results[0]!.tokens.refreshToken).toBe('rt-1')
    expect(d.states.at(-1)).toMatchObject({ authenticated: true, expiresAt: time.now() + 300_000 })
  })

  it('ends the session on invalid_grant and tells listeners login_required', async () => {
    const time = clock()
    tokenEndpoint(() => Response.json({ error: 'invalid_grant' }, { status: 400 }))
    const d = deps({ now: time.now })
    const session = createSession(d)
    await session.replace(tokens(time.now()), null)
    time.advance(290_000)
    await expect(session.active()).rejects.toMatchObject({ name: 'AuthError', code: 'login_required' })
    expect(d.states.at(-1)).toEqual({
      authenticated: false,
      user: null,
      expiresAt: null,
      tokenType: null,
      reason: 'login_required',
    })
    expect((await session.state()).authenticated).toBe(false)
    await expect(session.active()).rejects.toMatchObject({ code: 'login_required' })
  })

  it('keeps the session through a network failure, and the next call tries again', async () => {
    const time = clock()
    let down = true
    const endpoint = tokenEndpoint((n) => {
      if (down) throw new TypeError('Failed to fetch')
      return issued(n)
    })
    const session = createSession(deps({ now: time.now }))
    await session.replace(tokens(time.now()), null)
    time.advance(290_000)
    await expect(session.active()).rejects.toMatchObject({ code: 'network_error' })
    expect((await session.state()).authenticated).toBe(true)
    down = false
    time.advance(500)
    expect((await session.active()).tokens.accessToken).toBe('at-2')
    expect(endpoint.calls()).toBe(2)
  })

  it('refreshes after a rejected token even before expiry, once', async () => {
    const time = clock()
    const endpoint = tokenEndpoint(issued)
    const session = createSession(deps({ now: time.now }))
    await session.replace(tokens(time.now()), null)
    const [a, b] = await Promise.all([session.refresh('at-0'), session.refresh('at-0')])
    expect(a.tokens.accessToken).toBe('at-1')
    expect(b).toBe(a)
    // A caller that still holds the old token gets the new one without another request.
    expect((await session.refresh('at-0')).tokens.accessToken).toBe('at-1')
    expect(endpoint.calls()).toBe(1)
  })
})

/** Two "tabs": two sessions over the same IndexedDB vault, locks, channel and holds. */
function tabs(options: { delayOtherTab?: number } = {}) {
  const time = clock(Date.now())
  const name = `test ${crypto.randomUUID()}`
  const vault = createIndexedDbVault('https://as.example.test', name)
  const make = (delay = 0) => {
    const session: ReturnType<typeof createSession> = createSession(
      deps({
        now: time.now,
        vault,
        shared: true,
        withLock: (task, steal) => withRefreshLock(name, task, { waitMs: 1_000, steal }),
        broadcast: (message) => sync.post(message),
        hold: createSessionHold(`${name} hold`, () => session.onHoldLost()),
      }),
    )
    const sync = createTabSync(name, (reason) => {
      setTimeout(() => void session.onTabHint(reason), delay)
    })
    return session
  }
  return { time, name, vault, a: make(), b: make(options.delayOtherTab) }
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 100))

describe('sessions shared across tabs', () => {
  it('a refresh in one tab is reused by the other, which sends no second request', async () => {
    const { time, a, b } = tabs()
    const endpoint = tokenEndpoint(issued)
    await a.replace(tokens(time.now()), null)
    expect((await b.state()).authenticated).toBe(true)
    time.advance(290_000)
    const [fromA, fromB] = await Promise.all([a.active(), b.active()])
    expect(endpoint.calls()).toBe(1)
    expect(fromA.tokens.accessToken).toBe('at-1')
    expect(fromB.tokens.accessToken).toBe('at-1')
  })

  it('logout resolves only once the other tab has let go, even when its message is slow', async () => {
    const { time, a, b } = tabs({ delayOtherTab: 300 })
    tokenEndpoint(issued)
    await a.replace(tokens(time.now()), null)
    const held = await b.active()
    expect(b.isCurrent(held)).toBe(true)
    await a.end(null)
    // Not a moment later: the other tab can no longer send this session's token.
    expect(b.isCurrent(held)).toBe(false)
    await expect(b.active()).rejects.toMatchObject({ code: 'login_required' })
  })
})

describe('what other contexts of the origin can do to a tab', () => {
  it('a forged "ended" on the tabs\' channel signs no tab out: only the vault decides', async () => {
    const { time, name, a } = tabs()
    await a.replace(tokens(time.now()), null)
    const held = await a.active()
    const forger = new BroadcastChannel(name)
    forger.postMessage({ type: 'ended', reason: 'login_required' })
    forger.close()
    await settled()
    expect(a.isCurrent(held)).toBe(true)
    expect(await a.state()).toMatchObject({ authenticated: true })
  })

  it("taking a tab's session hold is a hint too: the tab reads the vault, keeps its session and holds again", async () => {
    const { time, name, a } = tabs()
    await a.replace(tokens(time.now()), null)
    const held = await a.active()
    await navigator.locks.request(`${name} hold`, { steal: true }, async () => {})
    await settled()
    expect(a.isCurrent(held)).toBe(true)
    // Both tabs had the session (the other learnt of the login from the channel) and hold again.
    const holders = (await navigator.locks.query()).held?.filter((lock) => lock.name === `${name} hold`)
    expect(holders).toHaveLength(2)
  })

  it('a context squatting the session lock: a refresh fails with worker_error, a logout still completes', async () => {
    const { time, name, vault, a } = tabs()
    tokenEndpoint(issued)
    await a.replace(tokens(time.now()), null)
    void navigator.locks.request(name, () => new Promise(() => {})).catch(() => undefined)
    time.advance(290_000)
    await expect(a.active()).rejects.toMatchObject({ code: 'worker_error' })
    await expect(a.end(null)).resolves.toMatchObject({ sessionId: expect.any(String) })
    expect(await vault.read(SESSION_RECORD)).toBeUndefined()
  })

  it('logout revokes the newest tokens: a refresh another tab made a moment earlier is read first', async () => {
    const { time, a, b } = tabs({ delayOtherTab: 500 })
    tokenEndpoint(issued)
    await a.replace(tokens(time.now()), null)
    await b.state()
    time.advance(290_000)
    // `a` learns of it only in 500 ms; its logout comes first.
    expect((await b.active()).tokens.accessToken).toBe('at-1')
    expect((await a.end(null))?.tokens.accessToken).toBe('at-1')
  })
})

describe('the vault when two tabs interleave', () => {
  it('a tab that found an unusable record erases it only under the lock, after reading again', async () => {
    const time = clock(Date.now())
    const name = `erase ${crypto.randomUUID()}`
    const vault = createIndexedDbVault('https://as.example.test', name)
    const withLock = <T>(task: () => Promise<T>) => withRefreshLock(name, task, { waitMs: 5_000 })
    // Unusable: a DPoP session without its keys (left by an older version, or by page script).
    await vault.write(SESSION_RECORD, { sessionId: 'old', tokens: { ...tokens(time.now()), tokenType: 'DPoP' } })
    // This tab pauses right after its read, before it acts on what it read.
    let resume = (): void => {}
    let reached = (): void => {}
    const paused = new Promise<void>((resolve) => (reached = resolve))
    const gated: Vault = {
      ...vault,
      readWithKeys: async (...args) => {
        const found = await vault.readWithKeys(...args)
        reached()
        await new Promise<void>((go) => (resume = go))
        return found
      },
    }
    const late = createSession(deps({ now: time.now, vault: gated, shared: true, withLock }))
    const loading = late.state()
    await paused
    // Meanwhile another tab logs in.
    await createSession(deps({ now: time.now, vault, shared: true, withLock })).replace(tokens(time.now()), null)
    resume()
    // Reads again, without pausing this time.
    gated.readWithKeys = vault.readWithKeys
    await loading
    expect(await createSession(deps({ now: time.now, vault, shared: true })).state()).toMatchObject({
      authenticated: true,
    })
  })

  it('a tab that starts at any point of a login in another finds the old state or the new one, and erases nothing', async () => {
    const time = clock(Date.now())
    const keys = await generateDPoPKeyPair()
    for (let step = 0; ; step++) {
      const name = `interleave ${crypto.randomUUID()}`
      const vault = createIndexedDbVault('https://as.example.test', name)
      // The login's tab pauses before its vault operation number `step`.
      let calls = 0
      let pause: Promise<void> | undefined
      let resume = (): void => {}
      const paused = new Promise<void>((reached) => {
        const gate =
          <A extends unknown[], R>(operation: (...args: A) => Promise<R>) =>
          async (...args: A): Promise<R> => {
            if (calls++ === step) {
              pause = new Promise<void>((go) => (resume = go))
              reached()
              await pause
            }
            return operation(...args)
          }
        const gated: Vault = {
          read: gate(vault.read),
          readWithKeys: gate(vault.readWithKeys),
          write: gate(vault.write),
          remove: gate(vault.remove),
        }
        const login = createSession(
          deps({
            now: time.now,
            vault: gated,
            shared: true,
            withLock: (task) => withRefreshLock(name, task, { waitMs: 5_000 }),
          }),
        )
        void login.replace({ ...tokens(time.now()), tokenType: 'DPoP' }, keys).then(() => reached())
      })
      await paused
      const reachedStep = pause !== undefined
      // Another tab starts now and reads what is there.
      const other = createSession(
        deps({
          now: time.now,
          vault,
          shared: true,
          withLock: (task) => withRefreshLock(name, task, { waitMs: 5_000 }),
        }),
      )
      const seen = await Promise.race([
        other.state(),
        new Promise<AuthState>((resolve) =>
          setTimeout(
            () =>
              resolve({ authenticated: false, user: null, expiresAt: null, tokenType: null, reason: 'worker_error' }),
            1_000,
          ),
        ),
      ])
      expect(seen.reason, `step ${step}`).toBeUndefined()
      resume()
      await new Promise((resolve) => setTimeout(resolve, 50))
      const after = createSession(deps({ now: time.now, vault, shared: true }))
      expect(await after.state(), `after step ${step}`).toMatchObject({ authenticated: true, tokenType: 'DPoP' })
      if (!reachedStep) break
    }
  })
})

describe('DPoP key lifecycle', () => {
  it('keeps the key pair non-extractable across a restart and deletes it at logout', async () => {
    const time = clock(Date.now())
    const clientId = `dpop ${crypto.randomUUID()}`
    const vault = createIndexedDbVault('https://as.example.test', clientId)
    const keys = await generateDPoPKeyPair()
    const first = createSession(deps({ now: time.now, vault, shared: true }))
    await first.replace({ ...tokens(time.now()), tokenType: 'DPoP' }, keys)

    // A new worker: a new session and a new vault object over the same database.
    const restarted = createSession(
      deps({ now: time.now, vault: createIndexedDbVault('https://as.example.test', clientId), shared: true }),
    )
    const active = await restarted.active()
    expect(active.dpop).not.toBeNull()
    const stored = (await vault.readWithKeys(SESSION_RECORD, SESSION_KEYS_RECORD)).keys as CryptoKeyPair | undefined
    expect(stored?.privateKey.extractable).toBe(false)
    await expect(crypto.subtle.exportKey('pkcs8', stored!.privateKey)).rejects.toThrow()
    expect(await crypto.subtle.exportKey('jwk', stored!.publicKey)).toEqual(
      await crypto.subtle.exportKey('jwk', keys.publicKey),
    )

    await restarted.end(null)
    expect(await vault.readWithKeys(SESSION_RECORD, SESSION_KEYS_RECORD)).toEqual({ value: undefined, keys: undefined })
  })
})

/** A token endpoint that rotates the refresh token on every grant and refuses a spent one. */
function rotatingEndpoint(refuse: (body: URLSearchParams) => Response | null = () => null) {
  const grants: URLSearchParams[] = []
  let live = 'rt-0'
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      if (url !== TOKEN_ENDPOINT) throw new Error(`unexpected fetch ${url}`)
      const body = new URLSearchParams(init.body as URLSearchParams)
      grants.push(body)
      await new Promise((resolve) => setTimeout(resolve, 5))
      const refused = refuse(body)
      if (refused) return refused
      if (body.get('refresh_token') !== live) return Response.json({ error: 'invalid_grant' }, { status: 400 })
      live = `rt-${grants.length}`
      const audience = body.getAll('resource').join(' ') || body.get('scope') || 'default'
      return Response.json({
        access_token: `at-${grants.length} for ${audience}`,
        refresh_token: live,
        token_type: 'Bearer',
        expires_in: 300,
      })
    }),
  )
  return { grants }
}

const reports: ApiConfig = {
  key: 'https://api.example.test/reports/',
  scope: 'reports:read',
  resource: ['https://api.example.test/reports', 'urn:reports'],
  tokenParams: { audience: 'reports' },
  dpop: true,
}
const billing: ApiConfig = {
  key: 'https://billing.example.test',
  scope: null,
  resource: ['urn:billing'],
  tokenParams: {},
  dpop: true,
}

describe('a token per API', () => {
  it("obtains an API's token on first use with its own grant, then keeps it; the session's token is untouched", async () => {
    const c = clock()
    const endpoint = rotatingEndpoint()
    const session = createSession(deps({ now: c.now }))
    await session.replace(tokens(c.now()), null)
    const first = await session.active(reports)
    expect(first.tokens.accessToken).toBe('at-1 for https://api.example.test/reports urn:reports')
    expect(endpoint.grants).toHaveLength(1)
    const grant = endpoint.grants[0]!
    expect(grant.get('grant_type')).toBe('refresh_token')
    expect(grant.get('scope')).toBe('reports:read')
    expect(grant.getAll('resource')).toEqual(['https://api.example.test/reports', 'urn:reports'])
    expect(grant.get('audience')).toBe('reports')
    expect((await session.active(reports)).tokens.accessToken).toBe(first.tokens.accessToken)
    expect((await session.active()).tokens.accessToken).toBe('at-0')
    expect(endpoint.grants).toHaveLength(1)
  })

  it('a refresh token rotated by one grant is the one every later grant uses: concurrent callers, two APIs, no invalid_grant', async () => {
    const c = clock()
    const endpoint = rotatingEndpoint()
    const session = createSession(deps({ now: c.now, withLock: serialLock() }))
    await session.replace(tokens(c.now()), null)
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => session.active(reports)),
      ...Array.from({ length: 5 }, () => session.active(billing)),
    ])
    expect(endpoint.grants).toHaveLength(2)
    expect(endpoint.grants.map((grant) => grant.get('refresh_token'))).toEqual(['rt-0', 'rt-1'])
    expect(new Set(results.map((result) => result.tokens.accessToken)).size).toBe(2)
    c.advance(290_000)
    // The session's own refresh, due now, uses the newest refresh token too.
    expect((await session.active()).tokens.accessToken).toMatch(/^at-/)
    expect(endpoint.grants.at(-1)!.get('refresh_token')).toBe('rt-2')
    expect(endpoint.grants.at(-1)!.has('resource')).toBe(false)
  })

  it("refreshes an API's token on its own when it is due, and again when the API refuses it", async () => {
    const c = clock()
    const endpoint = rotatingEndpoint()
    const session = createSession(deps({ now: c.now }))
    await session.replace(tokens(c.now(), 3_600), null)
    const first = await session.active(reports)
    c.advance(290_000)
    const second = await session.active(reports)
    expect(second.tokens.accessToken).not.toBe(first.tokens.accessToken)
    const third = await session.refresh(second.tokens.accessToken, reports)
    expect(third.tokens.accessToken).not.toBe(second.tokens.accessToken)
    expect(endpoint.grants.every((grant) => grant.get('scope') === 'reports:read')).toBe(true)
    expect((await session.active()).tokens.accessToken).toBe('at-0')
  })

  it.each(['invalid_target', 'invalid_scope'])(
    'a provider refusing one API (%s) fails that call only: the session and the other API keep their tokens',
    async (oauthError) => {
      const c = clock()
      const endpoint = rotatingEndpoint((body) =>
        body.get('scope') === 'reports:read' ? Response.json({ error: oauthError }, { status: 400 }) : null,
      )
      const d = deps({ now: c.now })
      const session = createSession(d)
      await session.replace(tokens(c.now()), null)
      const other = await session.active(billing)
      await expect(session.active(reports)).rejects.toMatchObject({ code: 'token_error', oauthError, status: 400 })
      expect(await session.state()).toMatchObject({ authenticated: true })
      expect((await session.active(billing)).tokens.accessToken).toBe(other.tokens.accessToken)
      expect((await session.active()).tokens.accessToken).toBe('at-0')
      expect(d.states.at(-1)).toMatchObject({ authenticated: true })
      expect(endpoint.grants).toHaveLength(2)
    },
  )

  it("an API's grant refused with invalid_grant ends the session: the refresh token they share is gone", async () => {
    const c = clock()
    rotatingEndpoint(() => Response.json({ error: 'invalid_grant' }, { status: 400 }))
    const d = deps({ now: c.now })
    const session = createSession(d)
    await session.replace(tokens(c.now()), null)
    await expect(session.active(reports)).rejects.toMatchObject({ code: 'login_required' })
    expect(d.states.at(-1)).toMatchObject({ authenticated: false, reason: 'login_required' })
    expect(await session.state()).toMatchObject({ authenticated: false })
  })

  it('an API that takes Bearer tokens gets its token without the DPoP handle; the others keep it', async () => {
    const c = clock()
    rotatingEndpoint()
    const keys = await generateDPoPKeyPair()
    const session = createSession(deps({ now: c.now }))
    // A Bearer answer to a DPoP request is valid (RFC 9449 §5): the stub always answers Bearer.
    await session.replace({ ...tokens(c.now()), tokenType: 'DPoP' }, keys)
    expect((await session.active(reports)).dpop).not.toBeNull()
    expect((await session.active({ ...billing, dpop: false })).dpop).toBeNull()
  })

  it("API tokens are kept in the vault with the session, read by the next tab, and listed for logout's revocation", async () => {
    const { time, a, b } = tabs()
    const endpoint = rotatingEndpoint()
    await a.replace(tokens(time.now()), null)
    const [fromA, fromB] = await Promise.all([a.active(reports), b.active(reports)])
    expect(endpoint.grants).toHaveLength(1)
    expect(fromB.tokens.accessToken).toBe(fromA.tokens.accessToken)
    // The other tab read the rotated refresh token with it: its own grant for another API works.
    await b.active(billing)
    expect(endpoint.grants.map((grant) => grant.get('refresh_token'))).toEqual(['rt-0', 'rt-1'])
    const ended = await a.end(null)
    expect(Object.keys(ended?.apis ?? {}).sort()).toEqual([reports.key, billing.key].sort())
  })
})

/** A lock for one tab: tasks run one at a time, in order. */
function serialLock(): SessionDeps['withLock'] {
  let tail: Promise<unknown> = Promise.resolve()
  return (task) => {
    const run = tail.then(task, task)
    tail = run.catch(() => undefined)
    return run
  }
}

describe('a refresh refused without an OAuth error body', () => {
  it.each<[string, () => Response]>([
    ['400, empty body', () => new Response(null, { status: 400 })],
    [
      '400, HTML',
      () => new Response('<h1>Bad Request</h1>', { status: 400, headers: { 'content-type': 'text/html' } }),
    ],
    ['401, empty body', () => new Response(null, { status: 401 })],
  ])('%s: ends the session as invalid_grant would, and sends nothing more', async (_, answer) => {
    const c = clock()
    const endpoint = tokenEndpoint(answer)
    const d = deps({ now: c.now })
    const session = createSession(d)
    await session.replace(tokens(c.now()), null)
    c.advance(290_000)
    await expect(session.active()).rejects.toMatchObject({ code: 'login_required' })
    expect(d.states.at(-1)).toMatchObject({ authenticated: false, reason: 'login_required' })
    await expect(session.active()).rejects.toMatchObject({ code: 'login_required' })
    expect(endpoint.calls()).toBe(1)
  })

  it.each([500, 503])('%i: keeps the session, network_error with the status', async (status) => {
    const c = clock()
    tokenEndpoint(() => new Response(null, { status }))
    const session = createSession(deps({ now: c.now }))
    await session.replace(tokens(c.now()), null)
    c.advance(290_000)
    await expect(session.active()).rejects.toMatchObject({ code: 'network_error', status })
    expect(await session.state()).toMatchObject({ authenticated: true })
  })
})

/** A backoff whose `navigator.onLine` and `online` event the test drives; lowest jitter draw. */
function network(now: () => number) {
  let onLine = true
  const events = new EventTarget()
  return {
    backoff: createBackoff({ now, random: () => 0, onLine: () => onLine, events }),
    setOnLine: (value: boolean) => void (onLine = value),
    online: () => events.dispatchEvent(new Event('online')),
  }
}

const HOUR = 3_600_000
const signedOutStates = (states: AuthState[]) => states.filter((state) => !state.authenticated)

describe('a refresh that fails for a transient reason', () => {
  it.each<[string, () => Response, number | undefined]>([
    [
      'the provider unreachable (offline, DNS, connection refused)',
      () => {
        throw new TypeError('Failed to fetch')
      },
      undefined,
    ],
    ['500, no body', () => new Response(null, { status: 500 }), 500],
    [
      '502, HTML',
      () => new Response('<h1>Bad Gateway</h1>', { status: 502, headers: { 'content-type': 'text/html' } }),
      502,
    ],
    ['503 temporarily_unavailable', () => Response.json({ error: 'temporarily_unavailable' }, { status: 503 }), 503],
    ['429, no body', () => new Response(null, { status: 429 }), 429],
  ])('%s: network_error, and the session is kept everywhere', async (_, answer, status) => {
    const c = clock()
    tokenEndpoint(answer)
    const d = deps({ now: c.now })
    const session = createSession(d)
    await session.replace(tokens(c.now()), null)
    c.advance(290_000)
    const error = await session.active().catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'AuthError', code: 'network_error' })
    expect((error as { status?: number }).status).toBe(status)
    expect(await session.state()).toMatchObject({ authenticated: true })
    expect(signedOutStates(d.states)).toEqual([])
    expect(await d.vault.read(SESSION_RECORD)).toMatchObject({ tokens: { refreshToken: 'rt-0' } })
  })

  it('a provider that does not answer within its timeout: network_error, the session is kept', async () => {
    const c = clock()
    vi.stubGlobal(
      'fetch',
      vi.fn(
        (_url: string, init: RequestInit) =>
          new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason))),
      ),
    )
    const timed: ProviderContext = { ...ctx, http: { signal: () => AbortSignal.timeout(50) } }
    const d = deps({ now: c.now, provider: async () => timed })
    const session = createSession(d)
    await session.replace(tokens(c.now()), null)
    c.advance(290_000)
    await expect(session.active()).rejects.toMatchObject({ code: 'network_error' })
    expect(await session.state()).toMatchObject({ authenticated: true })
    expect(signedOutStates(d.states)).toEqual([])
  })

  it('one attempt per wait, shared by every caller; the wait grows, and a success starts it over', async () => {
    const c = clock()
    let down = true
    const endpoint = tokenEndpoint((n) => (down ? new Response(null, { status: 503 }) : issued(n)))
    const session = createSession(deps({ now: c.now }))
    await session.replace(tokens(c.now()), null)
    c.advance(290_000)
    const burst = () =>
      Promise.all(Array.from({ length: 10 }, () => session.active().catch((e: { code: string }) => e.code)))

    expect(await burst()).toEqual(Array(10).fill('network_error'))
    expect(endpoint.calls()).toBe(1)
    // Within the first wait (500 ms at the lowest draw): at once, without asking the provider.
    expect(await burst()).toEqual(Array(10).fill('network_error'))
    await expect(session.refresh('at-0')).rejects.toMatchObject({ code: 'network_error' })
    c.advance(499)
    expect(await burst()).toEqual(Array(10).fill('network_error'))
    expect(endpoint.calls()).toBe(1)
    c.advance(1)
    expect(await burst()).toEqual(Array(10).fill('network_error'))
    expect(endpoint.calls()).toBe(2)
    // The second wait is twice as long.
    c.advance(999)
    await expect(session.active()).rejects.toMatchObject({ code: 'network_error' })
    expect(endpoint.calls()).toBe(2)
    c.advance(1)
    down = false
    const recovered = await Promise.all(Array.from({ length: 10 }, () => session.active()))
    expect(new Set(recovered.map((s) => s.tokens.accessToken))).toEqual(new Set(['at-3']))
    expect(endpoint.calls()).toBe(3)

    // After the success, the next failure waits the first wait again, not a third, longer one.
    down = true
    c.advance(290_000)
    await expect(session.active()).rejects.toMatchObject({ code: 'network_error' })
    expect(endpoint.calls()).toBe(4)
    c.advance(500)
    await expect(session.active()).rejects.toMatchObject({ code: 'network_error' })
    expect(endpoint.calls()).toBe(5)
  })

  it('a call whose access token is still valid is not held up by the wait', async () => {
    const c = clock()
    const endpoint = tokenEndpoint(() => {
      throw new TypeError('Failed to fetch')
    })
    const session = createSession(deps({ now: c.now }))
    await session.replace(tokens(c.now()), null)
    // A reactive refresh (the API refused the token) fails: the wait begins.
    await expect(session.refresh('at-0')).rejects.toMatchObject({ code: 'network_error' })
    expect((await session.active()).tokens.accessToken).toBe('at-0')
    // An API's first token needs a grant: it waits like any refresh.
    await expect(session.active(reports)).rejects.toMatchObject({ code: 'network_error' })
    expect(endpoint.calls()).toBe(1)
  })

  it('`online` ends the wait: the next call refreshes at once', async () => {
    const c = clock()
    let down = true
    const endpoint = tokenEndpoint((n) => {
      if (down) throw new TypeError('Failed to fetch')
      return issued(n)
    })
    const net = network(c.now)
    const session = createSession(deps({ now: c.now, backoff: net.backoff }))
    await session.replace(tokens(c.now()), null)
    c.advance(290_000)
    await expect(session.active()).rejects.toMatchObject({ code: 'network_error' })
    await expect(session.active()).rejects.toMatchObject({ code: 'network_error' })
    expect(endpoint.calls()).toBe(1)
    down = false
    net.online()
    expect((await session.active()).tokens.accessToken).toBe('at-2')
    expect(endpoint.calls()).toBe(2)
  })

  it('navigator.onLine false when it failed, then true: the next call refreshes at once', async () => {
    const c = clock()
    let down = true
    const endpoint = tokenEndpoint((n) => {
      if (down) throw new TypeError('Failed to fetch')
      return issued(n)
    })
    const net = network(c.now)
    const session = createSession(deps({ now: c.now, backoff: net.backoff }))
    await session.replace(tokens(c.now()), null)
    c.advance(290_000)
    net.setOnLine(false)
    await expect(session.active()).rejects.toMatchObject({ code: 'network_error' })
    await expect(session.active()).rejects.toMatchObject({ code: 'network_error' })
    expect(endpoint.calls()).toBe(1)
    down = false
    net.setOnLine(true)
    expect((await session.active()).tokens.accessToken).toBe('at-2')
    expect(endpoint.calls()).toBe(2)
  })

  it("the provider's definite answer after transient failures still ends the session", async () => {
    const c = clock()
    let answer = (): Response => new Response(null, { status: 503 })
    tokenEndpoint(() => answer())
    const d = deps({ now: c.now })
    const session = createSession(d)
    await session.replace(tokens(c.now()), null)
    c.advance(290_000)
    await expect(session.active()).rejects.toMatchObject({ code: 'network_error' })
    answer = () => Response.json({ error: 'invalid_grant' }, { status: 400 })
    c.advance(500)
    await expect(session.active()).rejects.toMatchObject({ code: 'login_required' })
    expect(d.states.at(-1)).toMatchObject({ authenticated: false, reason: 'login_required' })
  })
})

describe('a device that slept past expiry (the local clock jumped)', () => {
  it('refreshes on the first call after waking: one request for 25 concurrent callers, no failure', async () => {
    const c = clock()
    const endpoint = tokenEndpoint(issued)
    const d = deps({ now: c.now })
    const session = createSession(d)
    await session.replace(tokens(c.now()), null)
    c.advance(8 * HOUR)
    const results = await Promise.all(Array.from({ length: 25 }, () => session.active()))
    expect(new Set(results.map((s) => s.tokens.accessToken))).toEqual(new Set(['at-1']))
    expect(endpoint.calls()).toBe(1)
    expect(signedOutStates(d.states)).toEqual([])
    expect(d.states.at(-1)).toMatchObject({ authenticated: true, expiresAt: c.now() + 300_000 })
  })

  it('a wait begun before the sleep is over after it: the first call refreshes', async () => {
    const c = clock()
    let down = true
    const endpoint = tokenEndpoint((n) => (down ? new Response(null, { status: 503 }) : issued(n)))
    const session = createSession(deps({ now: c.now }))
    await session.replace(tokens(c.now()), null)
    c.advance(290_000)
    await expect(session.active()).rejects.toMatchObject({ code: 'network_error' })
    down = false
    c.advance(8 * HOUR)
    const results = await Promise.all(Array.from({ length: 25 }, () => session.active()))
    expect(new Set(results.map((s) => s.tokens.accessToken))).toEqual(new Set(['at-2']))
    expect(endpoint.calls()).toBe(2)
  })

  it('a clock set back after a failure does not stretch the wait', async () => {
    const c = clock()
    let down = true
    const endpoint = tokenEndpoint((n) => (down ? new Response(null, { status: 503 }) : issued(n)))
    const session = createSession(deps({ now: c.now }))
    await session.replace(tokens(c.now()), null)
    await expect(session.refresh('at-0')).rejects.toMatchObject({ code: 'network_error' })
    down = false
    c.advance(-HOUR)
    expect((await session.refresh('at-0')).tokens.accessToken).toBe('at-2')
    expect(endpoint.calls()).toBe(2)
  })
})
