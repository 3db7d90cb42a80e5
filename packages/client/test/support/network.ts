import type { BackoffDeps } from '../../src/worker/backoff'

/** The browser's own network signals, as the worker's entry point passes them (worker/start.ts). */
export const browserNetwork: Omit<BackoffDeps, 'now'> = {
  random: Math.random,
  onLine: () => navigator.onLine,
  events: globalThis,
}
