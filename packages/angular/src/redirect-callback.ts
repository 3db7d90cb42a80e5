import type { AuthClient, RedirectResult } from '@oauth-enclave/client'

/** One handling of one callback URL, shared by every application that sees it during this page load. */
export interface CallbackRun {
  readonly result: Promise<RedirectResult>
  /** Claims the right to act on the result; `true` for the first caller only. */
  claim(): boolean
}

const runs = new WeakMap<AuthClient, Map<string, CallbackRun>>()

/**
 * The run for `href`, started on first use. A page may bootstrap more than one application with the
 * same client (or bootstrap again after a destroy); the authorization code can be redeemed only once
 * (RFC 6749 §4.1.2), and the app must navigate only once.
 */
export function callbackRun(client: AuthClient, href: string): CallbackRun {
  let byUrl = runs.get(client)
  if (!byUrl) {
    byUrl = new Map()
    runs.set(client, byUrl)
  }
  let run = byUrl.get(href)
  if (!run) {
    let claimed = false
    run = {
      result: client.handleRedirectCallback(href),
      claim: () => !claimed && (claimed = true),
    }
    byUrl.set(href, run)
  }
  return run
}
