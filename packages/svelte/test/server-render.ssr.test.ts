import { describe, expect, it } from 'vitest'
import { render } from 'svelte/server'
import { createAuth } from '../src/index'
import Provider from './support/Provider.svelte'

// Node, as a server render runs: no window, no Worker, no location, no IndexedDB.
describe('on the server', () => {
  const neverCreated = () => {
    throw new Error('the client was created on the server')
  }

  it('renders the loading state and creates no client', () => {
    const auth = createAuth(neverCreated)
    const { body } = render(Provider, { props: { auth } })
    expect(body.replace(/<!--.*?-->/g, '')).toBe('<p>loading</p>')
    expect(auth.client).toBeNull()
  })

  it('rejects the actions with a config_error', async () => {
    const auth = createAuth(neverCreated)
    await expect(auth.login()).rejects.toMatchObject({ code: 'config_error' })
    await expect(auth.fetch('/api')).rejects.toMatchObject({ code: 'config_error' })
  })
})
