import { AuthError } from '../shared/errors'
import type { WireOptions } from '../shared/wire'
import { resolveConfig, type ResolvedConfig } from './config'

/** Turns the page's options into the configuration in effect. */
export type ConfigResolver = (options: WireOptions, origin: string) => ResolvedConfig

/**
 * Pinned mode: the configuration is the worker's own, fixed in its code, which page script cannot
 * write. The page's options may leave any option out; one it gives must resolve to the same value
 * as the worker's, or `init` fails with a `config_error` naming it. Nothing the page sends widens
 * anything.
 */
export function pinnedResolver(pinned: WireOptions): ConfigResolver {
  return (options, origin) => {
    const config = resolveConfig(pinned, origin)
    // `undefined` and `null` stand for an option left out.
    const given = Object.entries(options).filter(([, value]) => value != null)
    // Each option resolves on its own, so one resolution of the page's over the worker's shows
    // which of them differ (and names an invalid one, as `resolveConfig` does).
    const asked = resolveConfig({ ...pinned, ...Object.fromEntries(given) }, origin)
    for (const [name] of given) {
      const key = name as keyof ResolvedConfig
      if (JSON.stringify(asked[key]) !== JSON.stringify(config[key])) {
        throw new AuthError('config_error', `${name} differs from the worker's pinned configuration`)
      }
    }
    // The page watches for activity only when its own options say so: without, every session would
    // end after the timeout however active the user.
    if (config.idleTimeoutSeconds !== null && options.idleTimeoutSeconds == null) {
      throw new AuthError('config_error', "idleTimeoutSeconds: the page's options must give it too")
    }
    return config
  }
}
