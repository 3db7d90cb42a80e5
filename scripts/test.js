// @ts-check
/**
 * The one test command: typecheck, lint, format, unit tests in Chromium, package checks, e2e. Each step runs
 * even when an earlier one failed, so one run shows every failure; the exit code is non-zero if
 * any failed.
 */
import { spawnSync } from 'node:child_process'

/** @type {[name: string, command: string, args: string[]][]} */
const steps = [
  ['browser', 'node', ['scripts/ensure-chromium.js']],
  ['typecheck', 'pnpm', ['run', 'typecheck']],
  ['lint', 'pnpm', ['run', 'lint']],
  ['format', 'pnpm', ['run', 'format:check']],
  ['unit', 'pnpm', ['run', 'test:unit']],
  // Before e2e: the consumer apps there install the tarballs of the packages built here.
  ['packages', 'pnpm', ['run', 'check:packages']],
  ['e2e', 'pnpm', ['run', 'test:e2e']],
]

const only = process.argv.slice(2)
const failed = []
for (const [name, command, args] of steps) {
  if (only.length > 0 && !only.includes(name)) continue
  const started = Date.now()
  console.log(`\n▶ ${name}`)
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  const ok = result.status === 0
  console.log(`${ok ? '✔' : '✘'} ${name} (${seconds} s)`)
  if (!ok) failed.push(name)
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`)
  process.exit(1)
}
console.log('\nall passed')
