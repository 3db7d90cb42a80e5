import type { AuthErrorCode } from '../shared/errors'

/** What tabs tell each other. Never a token: "changed" means "reload from the vault". */
export type TabMessage =
  { readonly type: 'changed' } | { readonly type: 'ended'; readonly reason: AuthErrorCode | null }

function isTabMessage(value: unknown): value is TabMessage {
  if (typeof value !== 'object' || value === null) return false
  const type = (value as { type?: unknown }).type
  return type === 'changed' || type === 'ended'
}

export interface TabSync {
  post(message: TabMessage): void
}

/** For sessions that tabs do not share (memory persistence). */
export const NO_TAB_SYNC: TabSync = { post() {} }

/** A BroadcastChannel shared by this issuer and client's workers in every tab of the origin. */
export function createTabSync(name: string, onMessage: (message: TabMessage) => void): TabSync {
  if (typeof BroadcastChannel === 'undefined') return NO_TAB_SYNC
  const channel = new BroadcastChannel(name)
  channel.onmessage = (event: MessageEvent<unknown>) => {
    if (isTabMessage(event.data)) onMessage(event.data)
  }
  return { post: (message) => channel.postMessage(message) }
}
