import { isAuthError } from '@oauth-enclave/client'
import { describe, expect, it } from 'vitest'
import { injectAuth, provideAuth } from '../src/index.js'
import { createFakeClient } from './support/fake-client.js'
import { startApplication, within } from './support/application.js'

describe('injectAuth', () => {
  it('is a config_error without provideAuth', async () => {
    const app = await startApplication([])
    let thrown: unknown
    try {
      within(app, injectAuth)
    } catch (error) {
      thrown = error
    }
    expect(isAuthError(thrown) && thrown.code).toBe('config_error')
  })

  it('returns the same service wherever it is injected', async () => {
    const app = await startApplication([provideAuth(createFakeClient())])
    expect(within(app, injectAuth)).toBe(within(app, injectAuth))
  })
})
