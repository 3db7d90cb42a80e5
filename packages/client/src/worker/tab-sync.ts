import type { AuthErrorCode } from '../shared/errors'

/**
 * What tabs tell each other. Never a token: "changed" means "read the vault again"; "activity", that
 * the user was active in that tab (`idleTimeoutSeconds`).
 */
export type TabMessage =
  | { readonly type: 'changed' }
  | { readonly type: 'ended'; readonly reason: AuthErrorCode | null }
  | { readonly type: 'activity' }

/** The sign-out reason a message may carry: the only ones the SDK sends. */
export type HintReason = 'login_required' | 'idle_timeout' | null

export interface TabSync {
  post(message: TabMessage): void
}

/** For sessions that tabs do not share (memory persistence). */
export const NO_TAB_SYNC: TabSync = { post() {} }

/**
 * A BroadcastChannel shared by this issuer and client's workers in every tab of the origin. Any
 * script of the origin can post on it, so whatever arrives is only a hint to read the vault again,
 * or activity, which that script could as well fake in the page.
 */
export function createTabSync(
  name: string,
  onHint: (reason: HintReason) => void,
  onActivity: () => void = () => {},
): TabSync {
  if (typeof BroadcastChannel === 'undefined') return NO_TAB_SYNC
  const channel = new BroadcastChannel(name)
  channel.onmessage = ({ data }: MessageEvent<{ type?: unknown; reason?: unknown } | null>) => {
    const reason = data?.reason
    if (data?.type === 'activity') onActivity()
    else onHint(reason === 'login_required' || reason === 'idle_timeout' ? reason : null)
  }
  return { post: (message) => channel.postMessage(message) }
}
