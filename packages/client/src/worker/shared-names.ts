/**
 * The names by which the workers of one issuer and client, in every tab of the origin, find each
 * other: a `BroadcastChannel` and two Web Locks. Exported for tests, which must use the same.
 */
export interface SharedNames {
  /** The tabs' `BroadcastChannel` ({@link TabSync}). */
  readonly channel: string
  /** The exclusive lock every refresh and vault write of the session takes. */
  readonly refreshLock: string
  /** The shared lock each tab with a session holds ({@link SessionHold}). */
  readonly sessionHold: string
}

export function sharedNames(issuer: string, clientId: string): SharedNames {
  const channel = `oauth-enclave:${issuer} ${clientId}`
  return { channel, refreshLock: channel, sessionHold: `${channel} hold` }
}
