import { describe, expect, it } from 'vitest'
import { createSSRApp } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { createAuth, createAuthGuard } from '../src/index'
import { Status } from './support/status'

// Node, as a server render runs: no window, no Worker, no location, no IndexedDB.
describe('on the server', () => {
  const neverCreated = () => {
    throw new Error('the client was created on the server')
  }

  it('renders the loading state and creates no client', async () => {
    const auth = createAuth(neverCreated)
    const html = await renderToString(createSSRApp(Status).use(auth))
    expect(html).toBe('<p>loading</p>')
    expect(auth.client.value).toBeNull()
  })

  it('rejects the actions with a config_error, and the guard lets every navigation through', async () => {
    const auth = createAuth(neverCreated)
    await expect(auth.login()).rejects.toMatchObject({ code: 'config_error' })
    await expect(auth.fetch('/api')).rejects.toMatchObject({ code: 'config_error' })
    expect(await createAuthGuard(auth)({ fullPath: '/account' })).toBe(true)
  })
})
