import { createHash } from 'node:crypto'
import { login } from './support/spa-session.js'
import { demo, expect, test } from './support/test'

test.beforeEach(async ({ page }) => {
  await login(page)
})

test('auth.fetch carries every body kind fetch accepts, with the right content type', async ({ page }) => {
  const results = await page.evaluate(async (echo) => {
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 7) % 251)
    const form = new FormData()
    form.append('field', 'value')
    form.append('file', new Blob(['file body'], { type: 'text/plain' }), 'a.txt')
    const cases: [string, RequestInit][] = [
      ['string', { method: 'POST', body: 'hello ✓' }],
      ['json', { method: 'PUT', body: JSON.stringify({ a: 1 }), headers: { 'content-type': 'application/json' } }],
      ['params', { method: 'POST', body: new URLSearchParams({ q: 'a b', r: '&' }) }],
      ['form', { method: 'POST', body: form }],
      ['blob', { method: 'POST', body: new Blob([bytes], { type: 'application/x-demo' }) }],
      ['arraybuffer', { method: 'PATCH', body: bytes.buffer.slice(0) }],
      ['typed array', { method: 'POST', body: bytes }],
      ['delete', { method: 'DELETE' }],
    ]
    const out: Record<string, unknown> = {}
    for (const [name, init] of cases) {
      const response = await window.auth.fetch(echo, init)
      out[name] = { status: response.status, ...(await response.json()) }
    }
    // A Request object as input, like fetch(request).
    const request = new Request(echo, { method: 'POST', body: 'from a Request', headers: { 'x-demo': 'yes' } })
    const response = await window.auth.fetch(request)
    out['request object'] = { status: response.status, ...(await response.json()) }
    return out
  }, `${demo.apiOrigin}/api/echo`)

  const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex')
  const bytes = Buffer.from(new Uint8Array(70_000).map((_, i) => (i * 7) % 251))
  expect(results.string).toMatchObject({ status: 200, text: 'hello ✓', contentType: 'text/plain;charset=UTF-8' })
  expect(results.json).toMatchObject({ method: 'PUT', text: '{"a":1}', contentType: 'application/json' })
  expect(results.params).toMatchObject({
    text: 'q=a+b&r=%26',
    contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
  })
  expect(results.form).toMatchObject({ contentType: expect.stringMatching(/^multipart\/form-data; boundary=/) })
  expect((results.form as { text: string }).text).toContain('file body')
  expect(results.blob).toMatchObject({ contentType: 'application/x-demo', bodyBytes: 70_000, sha256: sha(bytes) })
  expect(results.arraybuffer).toMatchObject({ method: 'PATCH', bodyBytes: 70_000, sha256: sha(bytes) })
  expect(results['typed array']).toMatchObject({ bodyBytes: 70_000, sha256: sha(bytes) })
  expect(results.delete).toMatchObject({ status: 200, method: 'DELETE', bodyBytes: 0 })
  expect(results['request object']).toMatchObject({ text: 'from a Request', headers: { 'x-demo': 'yes' } })
})

test('a large response streams back as a real Response', async ({ page }) => {
  const result = await page.evaluate(async (api) => {
    const size = 8 * 1024 * 1024
    const response = await window.auth.fetch(`${api}/api/blob?bytes=${size}`)
    const reader = response.body!.getReader()
    let chunks = 0
    let total = 0
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      chunks++
      total += value.byteLength
    }
    return {
      ok: response.ok,
      type: response.headers.get('content-type'),
      isResponse: response instanceof Response,
      url: response.url,
      chunks,
      total,
    }
  }, demo.apiOrigin)
  expect(result).toMatchObject({
    ok: true,
    type: 'application/octet-stream',
    isResponse: true,
    url: `${demo.apiOrigin}/api/blob?bytes=${8 * 1024 * 1024}`,
    total: 8 * 1024 * 1024,
  })
  expect(result.chunks).toBeGreaterThan(1)
})

test('an AbortSignal aborts like plain fetch', async ({ page }) => {
  const outcome = await page.evaluate(async (api) => {
    const before = new AbortController()
    before.abort()
    const pre = await window.auth.fetch(`${api}/api/me`, { signal: before.signal }).catch((e: Error) => e.name)
    const during = new AbortController()
    const pending = window.auth.fetch(`${api}/api/blob?bytes=${64 * 1024 * 1024}`, { signal: during.signal })
    const response = await pending
    const reader = response.body!.getReader()
    await reader.read()
    during.abort()
    const mid = await (async () => {
      for (;;) {
        const { done } = await reader.read()
        if (done) return 'completed'
      }
    })().catch((e: Error) => e.name)
    return { pre, mid }
  }, demo.apiOrigin)
  expect(outcome.pre).toBe('AbortError')
  expect(outcome.mid).not.toBe('completed')
})

test('auth.fetch is bound and plain fetch semantics hold for other targets', async ({ page }) => {
  const result = await page.evaluate(async (api) => {
    const { fetch: authFetch } = window.auth
    const me = await authFetch(`${api}/api/me`)
    const pub = await authFetch(`${api}/api/public`)
    const missing = await authFetch('/definitely-not-here.json')
    return [me.status, pub.status, missing.status]
  }, demo.apiOrigin)
  expect(result[0]).toBe(200)
  expect(result[1]).toBe(200)
  expect([200, 404]).toContain(result[2])
})
