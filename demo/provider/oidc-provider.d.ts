// oidc-provider 9 ships no type declarations: this declares the part of its surface the demo uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  interface StoredToken {
    destroy(): Promise<void>
  }

  export class Provider {
    constructor(issuer: string, configuration?: Record<string, unknown>)
    readonly issuer: string
    // Koa's context is left to the caller to describe: Koa's own types are not installed.
    use<Context>(middleware: (ctx: Context, next: () => Promise<void>) => Promise<void>): this
    on(event: string, listener: (...args: never[]) => void): this
    callback(): (req: IncomingMessage, res: ServerResponse) => void
    readonly RefreshToken: {
      find(value: string, options?: { ignoreExpiration?: boolean }): Promise<StoredToken | undefined>
    }
  }

  export default Provider

  export namespace errors {
    class InvalidTarget extends Error {
      constructor(description?: string)
    }
  }
}
