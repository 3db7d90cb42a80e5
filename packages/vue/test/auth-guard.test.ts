import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { createMemoryHistory, createRouter, RouterView } from 'vue-router'
import { createAuth, createAuthGuard } from '../src/index'
import { createFakeClient, SIGNED_IN, SIGNED_OUT, type FakeClient } from './support/fake-client'
import { cleanup, mount, settle } from './support/mount'

const home = location.href

afterEach(() => {
  cleanup()
  history.replaceState(history.state, '', home)
})

const Page = (name: string) => defineComponent(() => () => h('p', name))

/** An app with the plugin of `client` and a router whose `/account` is guarded; navigates to `/`. */
async function appWithGuardedRoute(client: FakeClient) {
  const auth = createAuth(client)
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: Page('home') },
      {
        path: '/account',
        component: Page('account'),
        beforeEnter: createAuthGuard(auth, { extraParams: { ui_locales: 'fr' } }),
      },
    ],
  })
  const { element } = mount(RouterView, auth, router)
  await router.push('/')
  return { router, element }
}

describe('createAuthGuard', () => {
  it('waits for the redirect callback, then lets the signed-in user through', async () => {
    history.replaceState(history.state, '', `${location.origin}/callback?code=c0de&state=st4te`)
    const client = createFakeClient(SIGNED_OUT)
    const { router, element } = await appWithGuardedRoute(client)
    const navigation = router.push('/account?tab=2')
    await settle()
    expect(element.textContent).toBe('home')
    client.emit(SIGNED_IN)
    client.finishCallback({ returnTo: null, user: { sub: 'alice' } })
    await navigation
    await settle()
    expect(element.textContent).toBe('account')
    expect(client.calls.login).toEqual([])
  })

  it('sends a signed-out user to log in, back to the route asked for, and stays', async () => {
    const client = createFakeClient(SIGNED_OUT)
    const { router, element } = await appWithGuardedRoute(client)
    await settle()
    await router.push('/account?tab=2#top')
    await settle()
    expect(element.textContent).toBe('home')
    expect(router.currentRoute.value.fullPath).toBe('/')
    expect(client.calls.login).toEqual([{ extraParams: { ui_locales: 'fr' }, returnTo: '/account?tab=2#top' }])
  })
})
