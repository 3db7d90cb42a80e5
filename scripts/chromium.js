// @ts-check
/**
 * Finds the Chromium the tests drive: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`, else
 * `undefined` (Playwright's own browser, where one was installed).
 */
import { existsSync } from 'node:fs'

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** @returns {string | undefined} */
export function chromiumPath() {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH points to a missing file: ${fromEnv}`)
    return fromEnv
  }
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined
}
