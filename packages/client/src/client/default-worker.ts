/** The package's own worker, started through a Trusted Types policy where the page enforces them. */

/** W3C Trusted Types, as far as the SDK uses them: TypeScript's DOM lib does not declare them yet. */
interface ScriptUrlPolicy {
  createScriptURL(input: string): unknown
}
interface ScriptUrlPolicyFactory {
  createPolicy(name: string, rules: { createScriptURL(input: string): string }): ScriptUrlPolicy
}

/**
 * The code the page loads only when needed (`on-demand.ts`): the failure reports, loaded only once
 * something has failed, and the popup login. The page does not pay for them up front.
 */
export const onDemand = () => import('./on-demand')

/** The Trusted Types policy an app lists in its CSP (`trusted-types oauth-enclave`) where it enforces them. */
const TRUSTED_TYPES_POLICY = 'oauth-enclave'
let workerUrlPolicy: ScriptUrlPolicy | null | undefined

/**
 * Creates the `oauth-enclave` Trusted Types policy, once, when the client is created, whichever
 * worker it uses: a name left unclaimed could be taken by page script, whose policy would then make
 * any URL a TrustedScriptURL. The policy accepts only scripts the origin serves.
 */
export function claimTrustedTypesPolicy(): void {
  try {
    workerUrlPolicy ??=
      (globalThis as { trustedTypes?: ScriptUrlPolicyFactory }).trustedTypes?.createPolicy(TRUSTED_TYPES_POLICY, {
        createScriptURL(input) {
          // A script the origin serves: `blob:` and `data:` URLs do not start with the origin.
          if (!input.startsWith(location.origin + '/')) throw new TypeError()
          return input
        },
      }) ?? null
  } catch (error: unknown) {
    // Taken by script that ran first, or not in the CSP's trusted-types list: the browser's error
    // says which. Either way the worker will not start under Trusted Types, and the app must know.
    void onDemand().then((m) => m.reportPolicyTaken(error))
    workerUrlPolicy = null
  }
}

/**
 * `new Worker` for the package's own worker. Under `require-trusted-types-for 'script'` a worker's
 * script URL must be a TrustedScriptURL: it passes the `oauth-enclave` policy. Without Trusted
 * Types, or where the CSP does not allow the policy, the URL goes as it is and the browser decides.
 */
function TrustedTypesWorker(url: URL, options: WorkerOptions): Worker {
  // Made absolute for the policy: Turbopack (Next.js) turns `new URL(...)` into an object whose
  // `href` is origin-relative (`/_next/static/media/worker.….js`), which it would refuse.
  return new Worker(
    (workerUrlPolicy?.createScriptURL(new URL(url, location.href).href) ?? url) as string | URL,
    options,
  )
}

// `Worker` is a parameter, not the global: the expression stays the literal form while it calls
// TrustedTypesWorker (a local const would be inlined by the library build).
export function defaultWorker(Worker = TrustedTypesWorker as unknown as typeof globalThis.Worker): Worker {
  // Literal form on purpose: bundlers find the worker only through this exact expression.
  return new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module', name: 'oauth-enclave' })
}
