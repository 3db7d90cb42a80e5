// @ts-check
/**
 * Makes sure a Chromium is there before the browser tests run. As root on Debian with none
 * installed, installs Debian's `chromium` (Playwright's own download cannot work offline).
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromiumPath } from './chromium.js'

function playwrightHasOwnChromium() {
  try {
    const require = createRequire(import.meta.url)
    const { chromium } = require('playwright')
    return existsSync(chromium.executablePath())
  } catch {
    return false
  }
}

const found = chromiumPath()
if (found) {
  console.log(`chromium: ${found}`)
} else if (playwrightHasOwnChromium()) {
  console.log("chromium: Playwright's own")
} else if (process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
  console.log("chromium: installing Debian's chromium (about a minute)…")
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: ['ignore', 'inherit', 'inherit'], env })
  console.log(`chromium: ${chromiumPath() ?? 'still missing'}`)
} else {
  console.error('No Chromium found: set CHROMIUM_PATH, install chromium, or run `npx playwright install chromium`.')
  process.exit(1)
}
