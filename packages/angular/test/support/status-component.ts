import { Component, type EnvironmentProviders, type Provider } from '@angular/core'
import { bootstrapApplication } from '@angular/platform-browser'
import { injectAuth } from '../../src/index.js'

// No decorator syntax: the test files stay plain TypeScript; JIT compiles the template.
const Status = Component({
  selector: 'test-status',
  template: `{{ auth.isLoading() ? 'Loading' : auth.isAuthenticated() ? 'Signed in as ' + auth.user()?.sub : 'Signed out' }}`,
})(
  class Status {
    readonly auth = injectAuth()
  },
)

/** Bootstraps a component that shows the session, in a fresh host element. */
export async function bootstrapStatus(providers: (Provider | EnvironmentProviders)[]) {
  const host = document.createElement('test-status')
  document.body.append(host)
  const app = await bootstrapApplication(Status, { providers })
  return { app, host }
}

/**
 * Waits for the host to show `text`, a second at most. Not `expect.poll`: zone.js reports each of
 * its failed attempts as an unhandled rejection.
 */
export async function waitForText(host: Element, text: string): Promise<void> {
  const deadline = Date.now() + 1000
  while (host.textContent !== text && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
  if (host.textContent !== text) throw new Error(`expected "${text}", the page shows "${host.textContent}"`)
}
