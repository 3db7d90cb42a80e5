import { act, StrictMode, type ReactNode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it } from 'vitest'
import { AuthProvider, useAuth } from '../src/index'
import { createFakeClient, SIGNED_IN } from './support/fake-client'
import { settle } from './support/render'

function Status() {
  const { isLoading, isAuthenticated, user } = useAuth()
  return <p>{isLoading ? 'loading' : isAuthenticated ? `signed in as ${user?.sub}` : 'signed out'}</p>
}

const unmounts: (() => void)[] = []
afterEach(() => {
  for (const unmount of unmounts.splice(0)) act(unmount)
  document.body.replaceChildren()
})

/** The server's HTML for `ui` hydrated in the page: the recoverable errors React reports (mismatches). */
async function hydrate(server: ReactNode, browser: ReactNode): Promise<{ container: HTMLElement; errors: unknown[] }> {
  const container = document.createElement('div')
  container.innerHTML = renderToString(server)
  document.body.append(container)
  const errors: unknown[] = []
  await act(async () => {
    const root = hydrateRoot(container, browser, { onRecoverableError: (error) => errors.push(error) })
    unmounts.push(() => root.unmount())
  })
  return { container, errors }
}

describe('AuthProvider given a factory, server-rendered then hydrated', () => {
  it('hydrates the loading state without a mismatch, calls the factory once (StrictMode), then shows the state', async () => {
    const client = createFakeClient(SIGNED_IN)
    let calls = 0
    const factory = () => {
      calls++
      return client
    }
    // The server never calls the factory: it renders with one that would fail.
    const onServer = () => {
      throw new Error('called on the server')
    }
    const ui = (source: typeof factory) => (
      <StrictMode>
        <AuthProvider client={source}>
          <Status />
        </AuthProvider>
      </StrictMode>
    )
    const { container, errors } = await hydrate(ui(onServer), ui(factory))
    await settle()
    expect(errors).toEqual([])
    expect(container.textContent).toBe('signed in as alice')
    expect(calls).toBe(1)
  })
})
