import { describe, expect, it } from 'vitest'
import { wrap } from '../../src/client/comlink-client'
import { AuthError } from '../../src/shared/errors'
import { serveComlink } from '../../src/worker/comlink-server'

const thrower = {
  async auth(): Promise<void> {
    throw new AuthError('token_error', 'the provider answered invalid_grant', {
      oauthError: 'invalid_grant',
      status: 400,
    })
  },
  async stepUp(): Promise<void> {
    throw new AuthError('step_up_required', 'the API asks for a stronger authentication', {
      acrValues: 'urn:example:mfa',
      maxAge: 0,
      status: 401,
    })
  },
  async callback(): Promise<void> {
    throw new AuthError('login_required', 'the provider refused the authorization: login_required', {
      oauthError: 'login_required',
      returnTo: 'https://app.example/orders',
    })
  },
  async abort(): Promise<void> {
    throw new DOMException('The operation was aborted.', 'AbortError')
  },
  async fetch(): Promise<void> {
    throw new TypeError('Failed to fetch')
  },
  async login(): Promise<void> {
    throw new TypeError("Failed to construct 'URL': Invalid URL")
  },
  async foreign(): Promise<void> {
    const error = new Error('secret-token-value leaked in a message')
    throw error
  },
}

function remote() {
  const { port1, port2 } = new MessageChannel()
  serveComlink(thrower, port1)
  port1.start()
  port2.start()
  return wrap<typeof thrower>(port2)
}

describe('error transfer across the worker boundary', () => {
  it('rebuilds AuthError with its class, code, oauthError and status', async () => {
    const error = await remote()
      .auth()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    expect(error).toMatchObject({
      name: 'AuthError',
      code: 'token_error',
      oauthError: 'invalid_grant',
      status: 400,
      message: 'the provider answered invalid_grant',
    })
  })

  it('rebuilds step_up_required with acrValues and maxAge (0 included), and no detail it was not given', async () => {
    const error = await remote()
      .stepUp()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    expect(error).toMatchObject({ code: 'step_up_required', acrValues: 'urn:example:mfa', maxAge: 0, status: 401 })
    expect(Object.keys(error as object).sort()).toEqual(['acrValues', 'code', 'maxAge', 'name', 'status'])
  })

  it('rebuilds a failed callback with the returnTo of its login', async () => {
    const error = await remote()
      .callback()
      .catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'login_required',
      oauthError: 'login_required',
      returnTo: 'https://app.example/orders',
    })
  })

  it("keeps an AbortError an AbortError, as plain fetch's is", async () => {
    const error = await remote()
      .abort()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DOMException)
    expect((error as DOMException).name).toBe('AbortError')
  })

  it("keeps fetch's network TypeError a TypeError, as a plain fetch rejects", async () => {
    const error = await remote()
      .fetch()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError).message).toBe('Failed to fetch')
  })

  it('turns a TypeError of any other method into worker_error naming the method', async () => {
    const error = await remote()
      .login()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    expect(error).toMatchObject({ code: 'worker_error', message: 'login failed unexpectedly' })
  })

  it('turns any other error into worker_error without its message', async () => {
    const error = await remote()
      .foreign()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    expect((error as AuthError).code).toBe('worker_error')
    expect(String((error as Error).message)).not.toContain('secret-token-value')
  })
})
