import { HttpClient, provideHttpClient, withFetch, withInterceptors } from '@angular/common/http'
import { Component, inject, signal } from '@angular/core'
import { bootstrapApplication } from '@angular/platform-browser'
import { AuthError, createAuthClient } from '@oauth-enclave/client'
import { authInterceptor, injectAuth, provideAuth } from '@oauth-enclave/angular'
import { firstValueFrom } from 'rxjs'

interface Config {
  issuer: string
  clientId: string
  scope: string
  apiOrigin: string
}

const config = (await (await fetch('/config.json')).json()) as Config
const api = `${config.apiOrigin}/api/`

@Component({
  selector: 'app-root',
  template: `
    <p data-testid="status">
      {{ auth.isLoading() ? 'Loading…' : auth.isAuthenticated() ? 'Signed in' : 'Signed out' }}
    </p>
    @if (!auth.isLoading() && !auth.isAuthenticated()) {
      <button (click)="run(auth.login())">Log in</button>
    }
    @if (auth.isAuthenticated()) {
      <pre data-testid="user">{{ userJson() }}</pre>
      <button (click)="callApi()">Call the API</button>
      <button (click)="run(auth.logout())">Log out</button>
      <pre data-testid="api-result">{{ result() }}</pre>
    }
    @if (shown(); as error) {
      <p data-testid="error">{{ describe(error) }}</p>
    }
  `,
})
class App {
  protected readonly auth = injectAuth()
  private readonly http = inject(HttpClient)
  protected readonly result = signal('')
  private readonly failure = signal<unknown>(null)
  protected readonly shown = () => this.failure() ?? this.auth.error()
  protected readonly userJson = () => JSON.stringify(this.auth.user())

  protected run(action: Promise<unknown>): void {
    action.catch((thrown: unknown) => this.failure.set(thrown))
  }

  /** Through HttpClient: the interceptor sends it with `auth.fetch`. */
  protected async callApi(): Promise<void> {
    try {
      const response = await firstValueFrom(this.http.get(`${api}me`, { observe: 'response' }))
      this.result.set(`${response.status}\n${JSON.stringify(response.body, null, 2)}`)
    } catch (thrown) {
      this.failure.set(thrown)
    }
  }

  protected describe(error: unknown): string {
    if (error instanceof AuthError) return `${error.code}: ${error.message}`
    const cause = (error as { error?: unknown }).error
    return cause instanceof AuthError ? `${cause.code}: ${cause.message}` : String(error)
  }
}

await bootstrapApplication(App, {
  providers: [
    provideAuth(
      () =>
        createAuthClient({
          issuer: config.issuer,
          clientId: config.clientId,
          redirectUri: `${location.origin}/callback`,
          postLogoutRedirectUri: `${location.origin}/`,
          scope: config.scope,
          allowedOrigins: [api],
        }),
      {
        allowedOrigins: [api],
        onRedirectCallback: ({ returnTo }) => history.replaceState(history.state, '', returnTo ?? '/'),
      },
    ),
    provideHttpClient(withFetch(), withInterceptors([authInterceptor])),
  ],
})
