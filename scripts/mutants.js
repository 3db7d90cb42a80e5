/**
 * Hand-made mutation testing of the SDK's unit tests. StrykerJS's vitest runner does not run
 * vitest's browser mode dependably, and these tests need a real Chromium (Workers, Web Locks,
 * WebCrypto, IndexedDB), so each mutant here is one small, deliberate break of a branch that
 * matters: the unit tests must go red for it.
 *
 * For each mutant: apply it to the source, run the client unit tests for the mutated file, expect
 * a failure, and restore the file, always (also on Ctrl-C). For speed only the test files that
 * import the file directly run (those that import it through another module, `vitest related`,
 * when none does); `--related` always runs those, `--all` the whole client suite. A mutant whose
 * snippet is not found exactly once is reported as stale, never silently skipped: update its
 * snippet after a refactor.
 *
 * Usage: pnpm mutants [--related | --all] [filter...]    (filter: a substring of a file or description)
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const src = join(root, 'packages/client/src')
const tests = join(root, 'packages/client/test')

/**
 * @typedef {object} Mutant
 * @property {string} file path under packages/client/src
 * @property {string} find the exact source text to replace; must occur exactly once
 * @property {string} replace what it becomes
 * @property {string} what the behaviour it breaks
 */

/** @type {Mutant[]} */
const MUTANTS = [
  // worker/resource-fetch.ts: the credentialed request policy.
  {
    file: 'worker/resource-fetch.ts',
    find: 'if (oauth.isDPoPNonceError(error) && !nonceRetried && replayable)',
    replace: 'if (false)',
    what: 'no DPoP nonce retry at the resource server',
  },
  {
    file: 'worker/resource-fetch.ts',
    find: '&& !nonceRetried && replayable',
    replace: '&& replayable',
    what: 'DPoP nonce retried without bound',
  },
  {
    file: 'worker/resource-fetch.ts',
    find: "challengeError(error) === 'invalid_token' && !refreshed",
    replace: 'false && !refreshed',
    what: 'no refresh-and-retry on 401 invalid_token',
  },
  {
    file: 'worker/resource-fetch.ts',
    find: '&& !refreshed && replayable',
    replace: '&& replayable',
    what: '401 refresh-and-retry without bound',
  },
  {
    file: 'worker/resource-fetch.ts',
    find: 'error.status === 401 && ',
    replace: '',
    what: 'refresh on any status with invalid_token (403 too)',
  },
  {
    file: 'worker/resource-fetch.ts',
    find: 'return !(request.init.body instanceof ReadableStream)',
    replace: 'return true',
    what: 'a stream body is sent twice',
  },
  {
    file: 'worker/resource-fetch.ts',
    find: "if (response.type !== 'opaqueredirect') return response",
    replace: 'return response',
    what: 'a redirect from an allowed target is never handled',
  },
  {
    file: 'worker/resource-fetch.ts',
    find: "if (request.redirect === 'manual') return redirect",
    replace: '',
    what: "redirect: 'manual' does not get the opaque redirect",
  },
  {
    file: 'worker/resource-fetch.ts',
    find: "request.redirect === 'error' || ",
    replace: '',
    what: "redirect: 'error' follows the redirect",
  },
  {
    file: 'worker/resource-fetch.ts',
    find: "(method !== 'GET' && method !== 'HEAD')",
    replace: 'false',
    what: 'an unsafe method is repeated after a redirect',
  },
  {
    file: 'worker/resource-fetch.ts',
    find: "          redirect: 'manual',",
    replace: '          redirect: request.redirect,',
    what: 'credentials follow a redirect',
  },
  {
    file: 'worker/resource-fetch.ts',
    find: 'if (!stillCurrent()) return Promise.reject(',
    replace: 'if (false) return Promise.reject(',
    what: 'a token is sent after the session ended',
  },
  {
    file: 'worker/resource-fetch.ts',
    find: 'response = deps.isAllowed(request.url)',
    replace: 'response = true',
    what: "the worker's allowlist is ignored",
  },
  {
    file: 'worker/resource-fetch.ts',
    find: 'inFlight.get(id)?.abort(',
    replace: 'inFlight.get(-1)?.abort(',
    what: 'abort by id reaches nothing',
  },

  // client/worker-connection.ts: the worker's life as the page sees it.
  {
    file: 'client/worker-connection.ts',
    find: 'if (live.ended.aborted) live = start()',
    replace: '',
    what: 'no worker restart after termination',
  },
  {
    file: 'client/worker-connection.ts',
    find: 'options.idempotent && attempt === 0',
    replace: 'false && attempt === 0',
    what: 'no retry of an idempotent call on a new worker',
  },
  {
    file: 'client/worker-connection.ts',
    find: 'attempt === 0 && entry.ended.aborted',
    replace: 'entry.ended.aborted',
    what: 'idempotent calls retried without bound',
  },
  {
    file: 'client/worker-connection.ts',
    find: 'if (liveness) void navigator.locks.request(',
    replace: 'if (false) void navigator.locks.request(',
    what: "the worker's death goes unnoticed (no liveness lock)",
  },
  {
    file: 'client/worker-connection.ts',
    find: 'await unlessAborted(Promise.all([entry.ready, task(entry.api, entry.ended)]), entry.ended)',
    replace: 'await Promise.all([entry.ready, task(entry.api, entry.ended)])',
    what: 'a call in flight hangs when its worker dies',
  },
  {
    file: 'client/worker-connection.ts',
    find: "if (closed) throw new AuthError('worker_error'",
    replace: "if (false) throw new AuthError('worker_error'",
    what: 'a closed client still calls a worker',
  },

  // client/create-auth-client.ts and navigation.ts.
  {
    file: 'client/create-auth-client.ts',
    find: 'if (href === location.href) replaceAddress(cleanCallbackUrl(href))',
    replace: '',
    what: 'the callback URL stays in the address bar',
  },
  {
    file: 'client/create-auth-client.ts',
    find: 'if (href === location.href) replaceAddress(',
    replace: 'replaceAddress(',
    what: 'the address bar is rewritten for a URL that is not the current one',
  },
  {
    file: 'client/create-auth-client.ts',
    find: 'if (!isAllowed(input instanceof Request',
    replace: 'if (false && !isAllowed(input instanceof Request',
    what: 'a non-allowed target goes to the worker',
  },
  {
    file: 'client/create-auth-client.ts',
    find: 'callbacks.set(href, pending)',
    replace: '',
    what: 'a callback is sent twice under StrictMode',
  },
  {
    file: 'client/navigation.ts',
    find: "'state', 'iss', ",
    replace: "'state', ",
    what: '`iss` stays in the cleaned callback URL',
  },

  // shared/: both sides.
  {
    file: 'shared/stream-bridge.ts',
    find: "post({ type: 'chunk', chunk }, [chunk.buffer])",
    replace: "post({ type: 'chunk', chunk })",
    what: 'response chunks are copied, not transferred',
  },
  {
    file: 'shared/stream-bridge.ts',
    find: 'while (credit > 0 && !finished)',
    replace: 'while (!finished)',
    what: 'no backpressure: the sender reads the whole body ahead',
  },
  {
    file: 'shared/stream-bridge.ts',
    find: "message.name === 'AbortError'",
    replace: 'false',
    what: 'an aborted body errors with a TypeError instead of an AbortError',
  },
  {
    file: 'shared/stream-bridge.ts',
    find: 'void reader.cancel().catch(() => undefined)',
    replace: '',
    what: "the page's cancel never reaches the source",
  },
  {
    file: 'shared/http-codec.ts',
    find: 'length <= SMALL_BODY_BYTES',
    replace: 'length < 0',
    what: 'small bodies stream instead of crossing as one buffer',
  },
  {
    file: 'shared/allowlist.ts',
    find: 'url.pathname.startsWith(rule.path + ',
    replace: 'url.pathname.startsWith(rule.path, ',
    what: 'a path prefix matches across a segment boundary (/v1 allows /v10)',
  },
  {
    file: 'shared/allowlist.ts',
    find: 'if (url.username || url.password) return false',
    replace: '',
    what: 'a URL with userinfo is an allowed target',
  },
  {
    file: 'shared/callback-url.ts',
    find: 'url.pathname !== expected.pathname',
    replace: 'false',
    what: 'any path on the origin counts as the redirect URI',
  },
  {
    file: 'shared/error-transfer.ts',
    find: "if (value instanceof TypeError && method === 'fetch') return { kind: 'type'",
    replace: "if (false) return { kind: 'type'",
    what: "fetch's TypeError does not cross as a TypeError",
  },

  // worker/: the rest of the worker's checks.
  {
    file: 'worker/comlink-server.ts',
    find: 'path.length !== 1 || ',
    replace: '',
    what: 'a nested property path is served',
  },
  {
    file: 'worker/comlink-server.ts',
    find: "if (name === 'init' && argumentList.length !== 4) return null",
    replace: '',
    what: 'init is served without its listener',
  },
  {
    file: 'worker/comlink-server.ts',
    find: "reply({ type: 'RAW', value }, transferables)",
    replace: "reply({ type: 'RAW', value })",
    what: 'marked return values are copied, not transferred',
  },
  {
    file: 'worker/liveness.ts',
    find: 'return new Promise<never>(() => {})',
    replace: 'return undefined',
    what: 'the liveness lock is released at once',
  },
  {
    file: 'worker/worker-api.ts',
    find: 'if (version !== VERSION) {',
    replace: 'if (false) {',
    what: 'a page of another package version is accepted',
  },
  {
    file: 'worker/worker-api.ts',
    find: "if (configured) throw new AuthError('config_error'",
    replace: "if (false) throw new AuthError('config_error'",
    what: 'a second init replaces the configuration',
  },
  {
    file: 'worker/config.ts',
    find: 'if (redirectUri.origin !== pageOrigin)',
    replace: 'if (false)',
    what: "a redirectUri off the page's origin is accepted",
  },
  {
    file: 'worker/config.ts',
    find: "url.protocol === 'http:' && isLoopbackHost(url.hostname)",
    replace: "url.protocol === 'http:'",
    what: 'plain http accepted for any host',
  },
  {
    file: 'worker/session.ts',
    find: 'Math.min(leewayMs, lifetime / 2)',
    replace: 'leewayMs',
    what: 'short-lived tokens are refreshed on every call',
  },
  {
    file: 'worker/session.ts',
    find: 'current.sessionId === session.sessionId',
    replace: 'true',
    what: "a request of an ended login still gets the new login's token",
  },
  {
    file: 'worker/session.ts',
    find: "error.oauthError === 'invalid_grant'",
    replace: 'false',
    what: 'invalid_grant on refresh does not end the session',
  },
  {
    file: 'worker/session.ts',
    find: "...api.resource.map((resource): [string, string] => ['resource', resource]),",
    replace: '',
    what: "an API's grant names no resource",
  },
  {
    file: 'worker/session.ts',
    find: 'tokens: { ...session.tokens, refreshToken: next.refreshToken },',
    replace: 'tokens: session.tokens,',
    what: "a refresh token rotated by an API's grant is not the one the next grant uses",
  },
  {
    file: 'worker/session.ts',
    find: 'dpop: api.dpop ? session.dpop : null',
    replace: 'dpop: session.dpop',
    what: 'an API that takes Bearer tokens gets a DPoP proof',
  },
  {
    file: 'worker/session.ts',
    find: "error.code === 'invalid_response' ||",
    replace: 'false ||',
    what: 'a refresh refused with 400 and no OAuth error keeps a dead session',
  },
  {
    file: 'shared/allowlist.ts',
    find: 'specificity(rule) > specificity(best)',
    replace: 'true',
    what: 'the last matching entry wins instead of the most specific',
  },
  {
    file: 'worker/session.ts',
    find: 'if (deps.shared) setCurrent(await loadVault(true))',
    replace: '',
    what: 'a tab refreshes with a refresh token another tab already rotated',
  },
  {
    file: 'worker/session.ts',
    find: 'if (deps.shared) setCurrent(await loadVault(true).catch(() => current))',
    replace: '',
    what: 'logout revokes the tokens this tab held, not the newest another tab stored',
  },
  {
    file: 'worker/session.ts',
    find: 'if (!locked) return deps.withLock(() => loadVault(true))',
    replace: '',
    what: 'an unusable session is erased without the lock, while another tab may be writing it',
  },
  {
    file: 'worker/session.ts',
    find: 'await deps.vault.write(SESSION_RECORD, recordOf(session), { name: SESSION_KEYS_RECORD, pair: keys })',
    replace:
      "await deps.vault.write(SESSION_RECORD, recordOf(session)); await deps.vault.write('x', 0, { name: SESSION_KEYS_RECORD, pair: keys })",
    what: 'a login writes its session and its keys in two IndexedDB transactions',
  },
  {
    file: 'worker/session.ts',
    find: 'onTabHint: reloadAfterHint,',
    replace: 'onTabHint: async (reason) => (reason ? settle(null) : reloadAfterHint(null)),',
    what: "a message on the tabs' channel signs a tab out without the vault's say",
  },
  {
    file: 'worker/refresh-lock.ts',
    find: '{ signal: AbortSignal.timeout(options.waitMs) }',
    replace: '{}',
    what: 'a squatted session lock blocks refreshes and logouts forever',
  },
  {
    file: 'worker/vault.ts',
    find: 'if (isSealingKey(existing)) return existing',
    replace: 'if (existing instanceof CryptoKey) return existing',
    what: 'an exportable sealing key planted by page script is used',
  },
  {
    file: 'worker/vault-records.ts',
    find: "return isOwnKey(privateKey, 'private', 'sign', isP256) && publicKey instanceof CryptoKey",
    replace: 'return privateKey instanceof CryptoKey && publicKey instanceof CryptoKey',
    what: 'an exportable DPoP key pair planted by page script is accepted',
  },
  {
    file: 'worker/login.ts',
    find: 'if (keys === null && (deps.dpop || stored.keys !== undefined)) {',
    replace: 'if (false) {',
    what: 'a login transaction without its DPoP key is completed as Bearer under DPoP',
  },
  {
    file: 'worker/login.ts',
    find: 'left >= 0 && left <= TRANSACTION_TTL_MS',
    replace: 'left >= 0',
    what: 'a transaction claiming to expire beyond 10 minutes is accepted',
  },
  {
    file: 'worker/configuration.ts',
    find: 'if (serviceWorker != null && !config.dangerouslyAllowServiceWorkers.includes(serviceWorker)) {',
    replace: 'if (false) {',
    what: 'the worker starts under a service worker the app did not declare',
  },
  {
    file: 'worker/pinned-config.ts',
    find: 'if (JSON.stringify(asked[key]) !== JSON.stringify(config[key])) {',
    replace: 'if (false) {',
    what: "pinned mode takes the page's options",
  },
  {
    file: 'worker/vault.ts',
    find: 'const iv = crypto.getRandomValues(new Uint8Array(12))',
    replace: 'const iv = new Uint8Array(12)',
    what: 'every write reuses one AES-GCM IV',
  },
  {
    file: 'worker/vault.ts',
    find: "{ name: 'AES-GCM', length: 256 }, false,",
    replace: "{ name: 'AES-GCM', length: 256 }, true,",
    what: 'the vault key is extractable',
  },
  {
    file: 'worker/login.ts',
    find: 'if (!(left >= 0 && left <= TRANSACTION_TTL_MS))',
    replace: 'if (false)',
    what: 'an expired login transaction is accepted',
  },

  // protocol/: the protocol steps.
  {
    file: 'protocol/callback.ts',
    find: '(iss !== null && iss !== ctx.as.issuer)',
    replace: 'false',
    what: 'an `iss` of another issuer is accepted (RFC 9207 mix-up)',
  },
  {
    file: 'protocol/callback.ts',
    find: '(iss === null && ctx.as.authorization_response_iss_parameter_supported === true) ||',
    replace: '',
    what: 'a missing `iss` is accepted where the metadata promises it',
  },
  {
    file: 'protocol/tokens.ts',
    find: "if (tokenType === 'DPoP' && !requestedDPoP)",
    replace: 'if (false)',
    what: 'a DPoP token type is accepted without a proof',
  },
  {
    file: 'protocol/tokens.ts',
    find: 'idClaims.sub !== previous.claims.sub',
    replace: 'false',
    what: 'a refreshed ID token may name another user',
  },
  {
    file: 'protocol/tokens.ts',
    find: 'azp !== undefined && azp !== ctx.client.client_id',
    replace: 'false',
    what: 'an ID token for another authorized party is accepted',
  },
  {
    file: 'protocol/tokens.ts',
    find: 'response.refresh_token ?? previous?.refreshToken ?? null',
    replace: 'response.refresh_token ?? null',
    what: 'a refresh without a new refresh token loses the old one',
  },
  {
    file: 'protocol/errors.ts',
    find: "'code' in error",
    replace: 'false',
    what: "oauth4webapi's refusals are reported as network errors",
  },
  {
    file: 'protocol/errors.ts',
    find: "error.name === 'TimeoutError' || ",
    replace: '',
    what: 'a provider timeout is not a network_error',
  },
  {
    file: 'protocol/dpop.ts',
    find: 'if (!oauth.isDPoPNonceError(error)) throw error',
    replace: 'throw error',
    what: 'no DPoP nonce retry at the token endpoint',
  },
  {
    file: 'protocol/dpop.ts',
    find: 'algs.length > 0',
    replace: 'true',
    what: 'an empty dpop_signing_alg_values_supported counts as DPoP support',
  },
  {
    file: 'protocol/authorization.ts',
    find: "if (RESERVED_PARAMS.has(name)) throw new AuthError('config_error'",
    replace: "if (false) throw new AuthError('config_error'",
    what: 'extraParams may override state, PKCE or redirect_uri',
  },

  // Step-up (RFC 9470), PAR (RFC 9126), resource indicators (RFC 8707), id_token_hint.
  {
    file: 'worker/resource-fetch.ts',
    find: '      if (stepUp) throw stepUp\n',
    replace: '',
    what: 'a 401 insufficient_user_authentication is handed back as a response, not step_up_required',
  },
  {
    file: 'protocol/errors.ts',
    find: '|| error.status !== 401',
    replace: '',
    what: 'a 403 counts as a step-up challenge',
  },
  {
    file: 'protocol/authorization.ts',
    find: "params.append('resource', resource)",
    replace: '',
    what: 'resource indicators are left out of the authorization request',
  },
  {
    file: 'protocol/step-up.ts',
    find: "!acrValues.split(' ').includes(acr)",
    replace: 'false',
    what: 'an ID token with a weaker acr than asked is accepted',
  },
  {
    file: 'worker/login.ts',
    find: '  assertAuthenticationContext(tokens.claims, transaction.acrValues)\n',
    replace: '',
    what: "a step-up login's acr is not checked",
  },
  {
    file: 'worker/login.ts',
    find: 'const target = input.par ? await pushAuthorizationRequest(ctx, url, dpop) : url',
    replace: 'const target = url',
    what: 'the authorization request is never pushed',
  },
  {
    file: 'protocol/par.ts',
    find: '        ...(dpop && { DPoP: dpop }),\n',
    replace: '',
    what: 'the pushed authorization request carries no DPoP proof',
  },
  {
    file: 'protocol/par.ts',
    find: 'if (configured === true && !advertised) {',
    replace: 'if (false) {',
    what: 'par: true without the endpoint is not a config_error',
  },
  {
    file: 'worker/logout.ts',
    find: 'const hint = idTokenHint ? (ended?.tokens.idToken ?? null) : null',
    replace: 'const hint = ended?.tokens.idToken ?? null',
    what: 'the ID token goes in the end-session URL without being asked',
  },
]

/** @type {Map<string, string>} original contents of the file being mutated, for restoring it */
const originals = new Map()
/** @type {import('node:child_process').ChildProcess | undefined} the test run in progress */
let running

function restoreAll() {
  for (const [path, text] of originals) writeFileSync(path, text)
  originals.clear()
}

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(signal, () => {
    restoreAll()
    // The test run is its own process group: end all of it, not only npx.
    if (running?.pid) process.kill(-running.pid, 'SIGTERM')
    console.error(`\n${signal}: sources restored`)
    process.exit(130)
  })
}
process.on('exit', restoreAll)

/** @type {string[]} every client test file, relative to the repository root */
const testFiles = readdirSync(tests, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.test.ts'))
  .map((name) => relative(root, join(tests, name)))

/**
 * The test files that import `file` (under src/) directly.
 * @param {string} file
 */
function directTests(file) {
  const specifier = `src/${file.replace(/\.ts$/, '')}'`
  return testFiles.filter((test) => readFileSync(join(root, test), 'utf8').includes(specifier))
}

/**
 * Runs the unit tests; resolves whether they failed, and the first test that did.
 * @param {string} file the mutated file, under src/
 * @param {'direct' | 'related' | 'all'} scope which tests run
 * @returns {Promise<{ failed: boolean, red: string }>}
 */
function runTests(file, scope) {
  const direct = scope === 'direct' ? directTests(file) : []
  const args =
    scope === 'all'
      ? ['vitest', 'run', '--project', 'client', '--bail', '1']
      : direct.length > 0
        ? ['vitest', 'run', '--project', 'client', '--bail', '1', ...direct.map((t) => relative('packages/client', t))]
        : ['vitest', 'related', '--run', '--project', 'client', '--bail', '1', join(src, file)]
  return new Promise((resolve, reject) => {
    const child = spawn('npx', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    running = child
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    // A mutant that hangs the suite counts as caught, as a timeout.
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      if (child.pid) process.kill(-child.pid, 'SIGTERM')
    }, 60_000)
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      running = undefined
      // eslint-disable-next-line no-control-regex
      const plain = output.replace(/\x1b\[[0-9;]*m/g, '')
      const red = timedOut ? 'timeout' : (/FAIL\s+(?:client \(chromium\)\s+)?(.+)/.exec(plain)?.[1]?.trim() ?? '')
      resolve({ failed: code !== 0 || signal !== null, red })
    })
  })
}

/**
 * @param {string} haystack
 * @param {string} needle
 */
function occurrences(haystack, needle) {
  let count = 0
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++
  return count
}

async function main() {
  const argv = process.argv.slice(2)
  /** @type {'direct' | 'related' | 'all'} */
  const scope = argv.includes('--all') ? 'all' : argv.includes('--related') ? 'related' : 'direct'
  const filters = argv.filter((arg) => !arg.startsWith('--'))
  const selected = MUTANTS.filter(
    (m) => filters.length === 0 || filters.some((f) => m.file.includes(f) || m.what.includes(f)),
  )
  /** @type {Map<string, { killed: number, total: number }>} */
  const scores = new Map()
  /** @type {Mutant[]} */
  const survivors = []
  /** @type {{ mutant: Mutant, found: number }[]} */
  const stale = []
  const started = Date.now()
  console.log(
    `${selected.length} mutants, running ${{ direct: 'the test files that import the mutated file', related: 'the related tests', all: 'the whole client suite' }[scope]} for each`,
  )

  for (const [index, mutant] of selected.entries()) {
    const path = join(src, mutant.file)
    const text = readFileSync(path, 'utf8')
    const found = occurrences(text, mutant.find)
    const label = `[${index + 1}/${selected.length}] ${mutant.file}: ${mutant.what}`
    if (found !== 1) {
      stale.push({ mutant, found })
      console.log(`${label}  STALE (snippet found ${found} times)`)
      continue
    }
    const folder = mutant.file.split('/')[0] ?? mutant.file
    const score = scores.get(folder) ?? { killed: 0, total: 0 }
    scores.set(folder, score)
    originals.set(path, text)
    let result
    try {
      writeFileSync(
        path,
        text.replace(mutant.find, () => mutant.replace),
      )
      result = await runTests(mutant.file, scope)
    } finally {
      writeFileSync(path, text)
      originals.delete(path)
    }
    score.total++
    if (result.failed) score.killed++
    else survivors.push(mutant)
    console.log(`${label}  ${result.failed ? `killed by ${result.red || '(see a run)'}` : 'SURVIVED'}`)
  }

  console.log(`\nMutation score (${Math.round((Date.now() - started) / 1000)} s):`)
  let killed = 0
  let total = 0
  for (const [folder, score] of [...scores].sort()) {
    killed += score.killed
    total += score.total
    console.log(`  ${`${folder}/`.padEnd(10)} ${score.killed}/${score.total} (${percent(score)})`)
  }
  console.log(`  ${'all'.padEnd(10)} ${killed}/${total} (${percent({ killed, total })})`)
  if (survivors.length > 0) {
    console.log('\nSurviving mutants (no unit test noticed):')
    for (const m of survivors) console.log(`  ${m.file}: ${m.what}\n      ${m.find}  →  ${m.replace || '(deleted)'}`)
  }
  if (stale.length > 0) {
    console.log('\nStale mutants (snippet not found exactly once; update them):')
    for (const { mutant, found } of stale) console.log(`  ${mutant.file}: ${mutant.what} (found ${found}×)`)
  }
  process.exitCode = survivors.length > 0 || stale.length > 0 ? 1 : 0
}

/** @param {{ killed: number, total: number }} score */
function percent({ killed, total }) {
  return total === 0 ? 'n/a' : `${Math.round((100 * killed) / total)}%`
}

await main()
