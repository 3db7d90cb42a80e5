import {
  HttpClient,
  HttpErrorResponse,
  HttpHeaders,
  provideHttpClient,
  withInterceptors,
  type HttpInterceptorFn,
  type HttpRequest,
} from '@angular/common/http'
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing'
import { inject } from '@angular/core'
import { AuthError } from '@oauth-enclave/client'
import { firstValueFrom } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { authInterceptor, provideAuth } from '../src/index.js'
import { createFakeClient, type FakeClient } from './support/fake-client.js'
import { settle, startApplication, within } from './support/application.js'

const API = 'https://api.example.com/v1/'

/** An app whose HttpClient runs `authInterceptor` between two recording interceptors. */
async function setUp(client: FakeClient = createFakeClient()) {
  const before: HttpRequest<unknown>[] = []
  const after: HttpRequest<unknown>[] = []
  const record =
    (into: HttpRequest<unknown>[]): HttpInterceptorFn =>
    (request, next) => (into.push(request), next(request))
  const app = await startApplication([
    provideAuth(client, { allowedOrigins: [API, { url: 'https://other.example.com/' }] }),
    provideHttpClient(withInterceptors([record(before), authInterceptor, record(after)])),
    provideHttpClientTesting(),
  ])
  const [http, backend] = within(app, () => [inject(HttpClient), inject(HttpTestingController)] as const)
  return { client, http, backend, before, after }
}

const headersOf = (init: RequestInit | undefined) => Object.fromEntries(new Headers(init?.headers).entries())

describe('authInterceptor', () => {
  it('sends a request to an allowed target through auth.fetch only, with no credentials of its own', async () => {
    const client = createFakeClient()
    client.respond = async () => Response.json({ sub: 'alice' })
    const { http, backend, before, after } = await setUp(client)
    const body = await firstValueFrom(
      http.get(`${API}me`, { params: { q: '1' }, headers: new HttpHeaders({ 'X-Trace': 't1' }) }),
    )
    expect(body).toEqual({ sub: 'alice' })
    expect(client.calls.fetch).toHaveLength(1)
    const [{ input, init }] = client.calls.fetch as [FakeClient['calls']['fetch'][number]]
    expect(input).toBe(`${API}me?q=1`)
    expect(init?.method).toBe('GET')
    expect(headersOf(init)).toEqual({ accept: 'application/json, text/plain, */*', 'x-trace': 't1' })
    // The request Angular's interceptors saw carries nothing the client added.
    expect(before.map((request) => request.headers.keys())).toEqual([['X-Trace']])
    expect(after).toEqual([])
    backend.verify()
  })

  it('passes a request to any other URL on untouched, never to auth.fetch', async () => {
    const { client, http, backend, before, after } = await setUp()
    for (const url of ['https://api.example.com/v10/me', 'https://evil.example/v1/me', '/v1/me']) {
      const pending = firstValueFrom(http.get(url))
      const sent = backend.expectOne(url)
      sent.flush({ ok: true })
      await expect(pending).resolves.toEqual({ ok: true })
      expect(sent.request).toBe(before.at(-1))
      expect(sent.request.headers.has('Authorization')).toBe(false)
    }
    expect(after).toHaveLength(3)
    expect(client.calls.fetch).toEqual([])
  })

  it('routes an ApiOptions-style entry like a string', async () => {
    const { client, http } = await setUp()
    await firstValueFrom(http.get('https://other.example.com/x', { responseType: 'text' }))
    expect(client.calls.fetch).toHaveLength(1)
  })

  it('serialises the body and detects its type', async () => {
    const { client, http } = await setUp()
    await firstValueFrom(http.post(`${API}items`, { name: 'a' }, { responseType: 'text' }))
    const [{ init }] = client.calls.fetch as [FakeClient['calls']['fetch'][number]]
    expect(init?.method).toBe('POST')
    expect(init?.body).toBe('{"name":"a"}')
    expect(headersOf(init)['content-type']).toBe('application/json')
  })

  it('reads the body as the request asks', async () => {
    const client = createFakeClient()
    client.respond = async () => new Response(")]}',\n[1]", { headers: { 'X-Answer': '42' } })
    const { http } = await setUp(client)
    expect(await firstValueFrom(http.get(`${API}a`))).toEqual([1])
    expect(await firstValueFrom(http.get(`${API}a`, { responseType: 'text' }))).toBe(")]}',\n[1]")
    expect(await firstValueFrom(http.get(`${API}a`, { responseType: 'blob' }))).toBeInstanceOf(Blob)
    expect(await firstValueFrom(http.get(`${API}a`, { responseType: 'arraybuffer' }))).toBeInstanceOf(ArrayBuffer)
    const response = await firstValueFrom(http.get(`${API}a`, { observe: 'response' }))
    expect([response.status, response.headers.get('X-Answer')]).toEqual([200, '42'])
  })

  it('makes a non-2xx answer an HttpErrorResponse with its body', async () => {
    const client = createFakeClient()
    client.respond = async () => Response.json({ error: 'nope' }, { status: 403, statusText: 'Forbidden' })
    const { http } = await setUp(client)
    const failure = await firstValueFrom(http.get(`${API}a`)).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(HttpErrorResponse)
    expect(failure).toMatchObject({ status: 403, error: { error: 'nope' } })
  })

  it('makes a rejected auth.fetch an HttpErrorResponse with status 0 and the AuthError', async () => {
    const client = createFakeClient()
    const cause = new AuthError('network_error', 'offline')
    client.respond = () => Promise.reject(cause)
    const { http } = await setUp(client)
    const failure = await firstValueFrom(http.get(`${API}a`)).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(HttpErrorResponse)
    expect(failure).toMatchObject({ status: 0, error: cause })
  })

  it('aborts the fetch when unsubscribed', async () => {
    const client = createFakeClient()
    client.respond = () => new Promise(() => {})
    const { http } = await setUp(client)
    http.get(`${API}a`).subscribe().unsubscribe()
    await settle()
    expect(client.calls.fetch[0]?.init?.signal?.aborted).toBe(true)
  })

  it('passes everything on when provideAuth lists no targets', async () => {
    const client = createFakeClient()
    const app = await startApplication([
      provideAuth(client),
      provideHttpClient(withInterceptors([authInterceptor])),
      provideHttpClientTesting(),
    ])
    const [http, backend] = within(app, () => [inject(HttpClient), inject(HttpTestingController)] as const)
    const pending = firstValueFrom(http.get(`${API}me`))
    backend.expectOne(`${API}me`).flush(1)
    await pending
    expect(client.calls.fetch).toEqual([])
  })
})
