/** The Web Locks API where this context has it (workers and pages of a secure context), or `null`. */
export function webLocks(): LockManager | null {
  return (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks ?? null
}
