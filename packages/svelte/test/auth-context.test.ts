import { afterEach, describe, expect, it } from 'vitest'
import { createAuth, getAuthContext } from '../src/index'
import { createFakeClient, SIGNED_IN } from './support/fake-client'
import { cleanup, render, settle } from './support/mount'
import Orphan from './support/Orphan.svelte'
import Provider from './support/Provider.svelte'

afterEach(cleanup)

describe('setAuthContext and getAuthContext', () => {
  it('give a component’s descendants its auth', async () => {
    const view = render(Provider, { auth: createAuth(createFakeClient(SIGNED_IN)) })
    await settle()
    expect(view.textContent).toBe('signed in as alice')
  })

  it('getAuthContext throws a config_error without a setAuthContext above, and outside a component', () => {
    expect(render(Orphan, {}).textContent).toBe('config_error')
    expect(() => getAuthContext()).toThrow(expect.objectContaining({ code: 'config_error' }))
  })
})
