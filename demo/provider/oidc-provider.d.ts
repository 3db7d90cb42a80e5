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
    readonly Client: {
      find(id: string): Promise<{ requirePushedAuthorizationRequests?: boolean } | undefined>
    }
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ params: Record<string, unknown> }>
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: { login?: Record<string, unknown> } & Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>
  }

  export default Provider

  export namespace interactionPolicy {
    class Check {
      static readonly NO_NEED_TO_PROMPT: boolean
      static readonly REQUEST_PROMPT: boolean
      constructor(reason: string, description: string, check: (ctx: never) => boolean)
    }
    interface Prompt {
      readonly checks: { add(check: Check): void }
    }
    function base(): Prompt[] & { get(name: string): Prompt }
  }

  export namespace errors {
    class InvalidTarget extends Error {
      constructor(description?: string)
    }
  }
}
