import { AuthError } from '@oauth-enclave/client'
import { defineComponent } from 'vue'
import { afterEach, describe, expect, it } from 'vitest'
import { createAuth, useAuth, useAuthFetch, type Auth } from '../src/index'
import { createFakeClient, type FakeClient } from './support/fake-client'
import { cleanup, mount, settle } from './support/mount'

afterEach(cleanup)

/** What `useAuth()` returns in a component of an app using `createAuth(client)`, once settled. */
async function mountedAuth(client: FakeClient): Promise<Auth> {
  let auth: Auth | undefined
  mount(
    defineComponent(() => {
      auth = useAuth()
      return () => null
    }),
    createAuth(client),
  )
  await settle()
  return auth!
}

/** What `run` throws in `setup()` of a component of an app without the plugin. */
function thrownInSetup(run: () => unknown): unknown {
  let thrown: unknown
  mount(
    defineComponent(() => {
      try {
        run()
      } catch (error) {
        thrown = error
      }
      return () => null
    }),
  )
  return thrown
}

describe('useAuth', () => {
  it('gives the client’s login, loginWithPopup, logout and fetch', async () => {
    const client = createFakeClient()
    const auth = await mountedAuth(client)
    await auth.login({ returnTo: '/orders' })
    await auth.loginWithPopup()
    await auth.logout()
    expect(await (await auth.fetch('https://api.example/me')).text()).toBe('fake')
    expect(client.calls).toMatchObject({ login: [{ returnTo: '/orders' }], loginWithPopup: 1, logout: 1 })
    expect(auth.client.value).toBe(client)
  })

  it('restores with a prompt=none login back to this page, or to the returnTo given', async () => {
    const client = createFakeClient()
    const auth = await mountedAuth(client)
    await auth.restore()
    await auth.restore({ returnTo: '/orders' })
    expect(client.calls.login).toEqual([
      { prompt: 'none', returnTo: location.href },
      { prompt: 'none', returnTo: '/orders' },
    ])
  })

  it('throws a config_error in an app without the plugin, and outside setup()', () => {
    for (const thrown of [thrownInSetup(useAuth), thrownInSetup(useAuthFetch), thrownOutside(useAuth)]) {
      expect(thrown).toBeInstanceOf(AuthError)
      expect((thrown as AuthError).code).toBe('config_error')
    }
  })
})

/** What `run` throws outside any component. */
function thrownOutside(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  return undefined
}

describe('useAuthFetch', () => {
  it('is the plugin’s fetch, the same function in every component', async () => {
    const client = createFakeClient()
    const seen: unknown[] = []
    const Probe = defineComponent(() => {
      seen.push(useAuthFetch())
      return () => null
    })
    const auth = createAuth(client)
    mount(Probe, auth)
    mount(Probe, auth)
    await settle()
    expect(seen).toEqual([auth.fetch, auth.fetch])
  })
})
