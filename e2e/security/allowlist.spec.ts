import { clearRequestLog, requestLog, type LoggedRequest } from '../support/servers.js'
import { login } from '../support/spa-session.js'
import { demo, expect, test } from '../support/test'
import { captureWorkers } from '../support/worker-capture'
import { raw, sendToWorker, wireRequest } from './worker-channel'

const api = demo.apiOrigin
const outsider = demo.outsiderOrigin

/**
 * Targets outside the demo's allowlist (`${api}/api/`), with the path each server logs: another
 * origin, the allowed origin outside the prefix, a prefix without its boundary, dot segments (plain
 * and percent-encoded, which the URL parser resolves) and a prefix in another case.
 */
const notAllowed: { url: string; origin: string; path: string }[] = [
  { url: `${outsider}/api/me`, origin: outsider, path: '/api/me' },
  { url: `${api}/outside-the-prefix`, origin: api, path: '/outside-the-prefix' },
  { url: `${api}/apix/me`, origin: api, path: '/apix/me' },
  { url: `${api}/api/../dot-segments`, origin: api, path: '/dot-segments' },
  { url: `${api}/api/%2e%2e/encoded-dot-segments`, origin: api, path: '/encoded-dot-segments' },
  { url: `${api}/API/me`, origin: api, path: '/API/me' },
]

async function logsOf(): Promise<Record<string, LoggedRequest[]>> {
  const withoutPreflights = async (origin: string) => (await requestLog(origin)).filter((r) => r.method !== 'OPTIONS')
  return { [api]: await withoutPreflights(api), [outsider]: await withoutPreflights(outsider) }
}

async function clearLogs(): Promise<void> {
  await clearRequestLog(api)
  await clearRequestLog(outsider)
}

/** Each target reached its server, and every request there carried neither header. */
function expectReachedWithoutCredentials(logs: Record<string, LoggedRequest[]>, targets: typeof notAllowed): void {
  for (const { origin, path } of targets) {
    const seen = logs[origin]!.filter((r) => r.path === path)
    expect(seen.length, `${origin}${path} was reached`).toBeGreaterThan(0)
    for (const request of seen) {
      expect(request, `${origin}${path}`).toMatchObject({ authorization: false, dpop: false })
    }
  }
}

test('auth.fetch sends no Authorization and no DPoP outside the allowlist or across a redirect', async ({ page }) => {
  await login(page)
  await clearLogs()

  const outcomes = await page.evaluate(
    async ({ urls, api, outsider }) => {
      const settle = (request: Promise<Response>) =>
        request.then(
          (response) => (response.type === 'opaqueredirect' ? 'opaqueredirect' : response.status),
          (error: Error) => error.name,
        )
      const results: Record<string, number | string> = {}
      // Where the target sends no CORS headers the page cannot read the answer; the server still logs it.
      for (const url of urls) results[url] = await settle(window.auth.fetch(url))
      const to = (path: string) => encodeURIComponent(path)
      results.allowed = await settle(window.auth.fetch(`${api}/api/me`))
      // Followed, without credentials, to another origin and to the API outside the prefix.
      results.publicRedirect = await settle(
        window.auth.fetch(`${api}/api/public/redirect?to=${to(`${outsider}/landed`)}`),
      )
      results.sameOriginRedirect = await settle(
        window.auth.fetch(`${api}/api/public/redirect?to=${to(`${api}/landed-outside-the-prefix`)}`),
      )
      // Re-sent without credentials, which the API refuses: nothing to follow.
      results.authenticatedRedirect = await settle(
        window.auth.fetch(`${api}/api/redirect?to=${to(`${outsider}/never`)}`),
      )
      // Not followed at all: the caller handles redirects itself.
      results.manualRedirect = await settle(
        window.auth.fetch(`${api}/api/redirect?to=${to(`${outsider}/never`)}`, { redirect: 'manual' }),
      )
      return results
    },
    { urls: notAllowed.map((target) => target.url), api, outsider },
  )
  expect(outcomes).toMatchObject({
    [`${outsider}/api/me`]: 200,
    allowed: 200,
    publicRedirect: 200,
    authenticatedRedirect: 401,
  })

  const logs = await logsOf()
  expectReachedWithoutCredentials(logs, [
    ...notAllowed,
    { url: '', origin: outsider, path: '/landed' },
    { url: '', origin: api, path: '/landed-outside-the-prefix' },
  ])
  expect(logs[outsider]!.map((r) => r.path)).not.toContain('/never')
  // Controls: the allowed target, and each redirecting request's first try, did carry credentials.
  const credentialed = logs[api]!.filter((r) => r.authorization && r.dpop).map((r) => r.path)
  expect(credentialed).toEqual([
    '/api/me',
    '/api/public/redirect',
    '/api/public/redirect',
    '/api/redirect',
    '/api/redirect',
  ])
})

test('the worker enforces the allowlist itself: crafted fetch calls get no credentials outside it', async ({
  page,
}) => {
  // Script that ran before the SDK kept its worker, and bypasses the page-side check.
  await captureWorkers(page)
  await login(page)
  await clearLogs()

  const fetchVia = (request: Record<string, unknown>) =>
    sendToWorker(page, { type: 'APPLY', path: ['fetch'], argumentList: [raw(request)] })

  for (const { url } of notAllowed) {
    const answer = await fetchVia(wireRequest(url))
    expect(answer.kind, url).not.toBe('other')
  }
  // Extra properties are data the worker never reads: no token endpoint or allowlist rides along.
  const crafted = await fetchVia(
    wireRequest(`${outsider}/crafted`, {
      allowedOrigins: [outsider],
      allowed: true,
      tokenEndpoint: `${outsider}/token`,
      issuer: outsider,
      redirect: 'follow',
    }),
  )
  expect(crafted).toMatchObject({ kind: 'response', status: 200 })
  // Credentials in the URL: never allowed, and fetch refuses such a URL anyway.
  await fetchVia(wireRequest(`http://user:pass@${new URL(api).host}/api/me`))
  // An allowed target that redirects to another origin, with `redirect: 'follow'` asked for.
  const redirected = await fetchVia(
    wireRequest(`${api}/api/public/redirect?to=${encodeURIComponent(`${outsider}/landed`)}`, { redirect: 'follow' }),
  )
  expect(redirected).toMatchObject({ kind: 'response', status: 200 })
  // The control: an allowed target through the same crafted path carries credentials.
  const allowed = await fetchVia(wireRequest(`${api}/api/me`))
  expect(allowed).toMatchObject({ kind: 'response', status: 200 })

  const logs = await logsOf()
  expectReachedWithoutCredentials(logs, [
    ...notAllowed,
    { url: '', origin: outsider, path: '/crafted' },
    { url: '', origin: outsider, path: '/landed' },
  ])
  expect(logs[api]!.filter((r) => r.authorization || r.dpop).map((r) => r.path)).toEqual([
    '/api/public/redirect',
    '/api/me',
  ])
})
