/**
 * The worker's API as the page sees it: methods taking and returning plain data (plus transferred
 * buffers and streams). Nothing here ever carries a token.
 */
import type {
  ApiOptions,
  AuthClientOptions,
  AuthState,
  LoginOptions,
  LogoutOptions,
  LogoutResult,
  RedirectResult,
} from './types'

/**
 * The options as they cross to the worker, unvalidated: the worker does not trust the page and
 * checks them itself (`resolveConfig`). `null` stands for absent where a caller sends it.
 */
export type WireOptions = Omit<
  AuthClientOptions,
  | 'worker'
  | 'dpop'
  | 'postLogoutRedirectUri'
  | 'allowedOrigins'
  | 'dangerouslyAllowServiceWorkers'
  | 'par'
  | 'resource'
  | 'idleTimeoutSeconds'
> & {
  readonly idleTimeoutSeconds?: number | null
  readonly par?: boolean | null
  readonly resource?: string | readonly string[] | null
  readonly dangerouslyAllowServiceWorkers?: readonly string[]
  readonly allowedOrigins?: readonly (string | ApiOptions)[]
  readonly dpop?: boolean | null
  readonly postLogoutRedirectUri?: string | null
}

/** A request as it crosses to the worker. The body is transferred, not copied. */
export interface WireRequest {
  readonly id: number
  readonly url: string
  readonly method: string
  readonly headers: [string, string][]
  readonly body: ArrayBuffer | ReadableStream<Uint8Array> | null
  readonly mode: RequestMode
  readonly credentials: RequestCredentials
  readonly cache: RequestCache
  readonly redirect: RequestRedirect
  readonly integrity: string
  readonly keepalive: boolean
  readonly referrerPolicy: ReferrerPolicy
  /** Whether the caller passed a signal: the worker then keeps the request abortable until its body ends. */
  readonly abortable: boolean
}

/** A response as it crosses back: a small body as one transferred buffer, any other as a port it streams over. */
export interface WireResponse {
  readonly status: number
  readonly statusText: string
  readonly headers: [string, string][]
  readonly url: string
  readonly redirected: boolean
  readonly body: MessagePort | ArrayBuffer | null
}

/** {@link LoginOptions} as the page sends them, `returnTo` resolved; the worker checks the rest. */
export interface StartLoginInput extends Omit<LoginOptions, 'returnTo'> {
  readonly returnTo: string | null
  /** A login in a popup (`loginWithPopup`): its transaction stays in the worker's memory. */
  readonly popup?: boolean
}

/** {@link LogoutOptions} as the page sends them, `returnTo` resolved. */
export interface LogoutInput extends Omit<LogoutOptions, 'returnTo'> {
  readonly returnTo: string | null
}

/** What came of the revocation, and where the page navigates after logout (`null` to stay). */
export interface LogoutAnswer extends LogoutResult {
  readonly url: string | null
}

export type StateListener = (state: AuthState) => void

/** The worker's exposed methods. The page imports only this type. */
export interface WorkerApi {
  /**
   * Validates the options and fixes them for the worker's lifetime: invalid options (in pinned
   * mode, any that differ from the worker's own), a page of another package version, a service
   * worker the options do not allow, or a second call, are a `config_error`. Returns the name of a
   * Web Lock the worker holds until it ends, or `null` without Web Locks.
   *
   * @param serviceWorker the script URL of the service worker controlling the page, if any.
   */
  init(
    options: WireOptions,
    onState: StateListener,
    version: string,
    serviceWorker: string | null | undefined,
  ): Promise<{ liveness: string | null }>
  /**
   * Builds the authorization request; returns the URL to navigate to (RFC 6749 §4.1.1) and its
   * `state`, which the callback carries anyway: a popup's opener listens for it.
   */
  startLogin(input: StartLoginInput): Promise<{ url: string; state: string }>
  /** Validates the authorization response and exchanges the code (RFC 6749 §4.1.2, §4.1.3). */
  handleCallback(url: string): Promise<RedirectResult>
  getState(): Promise<AuthState>
  /** Sends a request, with credentials only when the target is allowed. */
  fetch(request: WireRequest): Promise<WireResponse>
  /** Aborts the request with this id. */
  abort(id: number): Promise<void>
  /**
   * The user was active in the page (`idleTimeoutSeconds`): the worker takes the time from its own
   * clock, not from the page.
   */
  reportActivity(): Promise<void>
  /** Revokes and erases the session; returns where to navigate. */
  logout(input: LogoutInput): Promise<LogoutAnswer>
}
