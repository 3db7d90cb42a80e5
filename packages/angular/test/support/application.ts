import {
  provideZonelessChangeDetection,
  runInInjectionContext,
  type ApplicationRef,
  type EnvironmentProviders,
  type Provider,
} from '@angular/core'
import { createApplication } from '@angular/platform-browser'
import { afterEach } from 'vitest'

const started: ApplicationRef[] = []

afterEach(() => {
  for (const app of started.splice(0)) if (!app.destroyed) app.destroy()
})

/** A zoneless application with these providers, its initialisers run; destroyed after the test. */
export async function startApplication(providers: (Provider | EnvironmentProviders)[]): Promise<ApplicationRef> {
  const app = await createApplication({ providers: [provideZonelessChangeDetection(), ...providers] })
  started.push(app)
  return app
}

/** Runs `fn` in the application's injection context. */
export function within<T>(app: ApplicationRef, fn: () => T): T {
  return runInInjectionContext(app.injector, fn)
}

/** Lets pending promise callbacks run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0))
}
