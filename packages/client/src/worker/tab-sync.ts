import type { AuthErrorCode } from '../shared/errors'

/** What tabs tell each other. Never a token: "changed" means "read the vault again". */
export type TabMessage =
  { readonly type: 'changed' } | { readonly type: 'ended'; readonly reason: AuthErrorCode | null }

/** The sign-out reason a message may carry: the only one the SDK sends. */
export type HintReason = 'login_required' | null

export interface TabSync {
  post(message: TabMessage): void
}

/** For sessions that tabs do not share (memory persistence). */
export const NO_TAB_SYNC: TabSync = { post() {} }

/**
 * A BroadcastChannel shared by this issuer and client's workers in every tab of the origin. Any
 * script of the origin can post on it, so whatever arrives is only a hint to read the vault again.
 */
export function createTabSync(name: string, onHint: (reason: HintReason) => void): TabSync {
  if (typeof BroadcastChannel === 'undefined') return NO_TAB_SYNC
  const channel = new BroadcastChannel(name)
  channel.onmessage = (event: MessageEvent<{ reason?: unknown } | null>) =>
    onHint(event.data?.reason === 'login_required' ? 'login_required' : null)
  return { post: (message) => channel.postMessage(message) }
}
