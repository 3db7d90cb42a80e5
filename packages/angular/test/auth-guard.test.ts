import { PLATFORM_ID } from '@angular/core'
import type { ActivatedRouteSnapshot, RouterStateSnapshot } from '@angular/router'
import { AuthError } from '@oauth-enclave/client'
import { afterEach, describe, expect, it } from 'vitest'
import { authGuard, provideAuth } from '../src/index.js'
import { createFakeClient, SIGNED_IN, SIGNED_OUT } from './support/fake-client.js'
import { settle, startApplication, within } from './support/application.js'

const start = location.href
afterEach(() => history.replaceState(null, '', start))

async function guard(...providers: Parameters<typeof startApplication>[0]): Promise<unknown> {
  const app = await startApplication(providers)
  const routerState = { url: '/account?tab=2' } as RouterStateSnapshot
  return within(app, () => authGuard({} as ActivatedRouteSnapshot, routerState))
}

describe('authGuard', () => {
  it('lets a signed-in user through', async () => {
    const client = createFakeClient(SIGNED_IN)
    expect(await guard(provideAuth(client))).toBe(true)
    expect(client.calls.login).toEqual([])
  })

  it('starts a login that returns to the guarded route, and cancels the navigation', async () => {
    const client = createFakeClient(SIGNED_OUT)
    expect(await guard(provideAuth(client))).toBe(false)
    expect(client.calls.login).toEqual([{ returnTo: `${location.origin}/account?tab=2` }])
  })

  it('waits for the state before deciding', async () => {
    const client = createFakeClient(SIGNED_OUT)
    let answer!: () => void
    client.getState = () => new Promise((resolve) => (answer = () => resolve(SIGNED_IN)))
    let decided: unknown = 'pending'
    void guard(provideAuth(client)).then((result) => (decided = result))
    await settle()
    expect(decided).toBe('pending')
    answer()
    await settle()
    expect(decided).toBe(true)
  })

  it('starts no login after a failed callback', async () => {
    history.replaceState(null, '', '/callback?code=c&state=s')
    const client = createFakeClient(SIGNED_OUT)
    client.finishCallback(new AuthError('authorization_error', 'access_denied'))
    expect(await guard(provideAuth(client))).toBe(false)
    expect(client.calls.login).toEqual([])
  })

  it('cancels on the server', async () => {
    const client = createFakeClient(SIGNED_IN)
    expect(await guard({ provide: PLATFORM_ID, useValue: 'server' }, provideAuth(client))).toBe(false)
  })
})
