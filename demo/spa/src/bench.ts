/**
 * The cold-start benchmark page: on load, one authenticated GET, then `window.benchDone` holds the
 * milliseconds from navigation start to the response body, also logged as `bench-done <ms>`. `?plain` sends a token the harness put
 * on `window.benchToken` (the limit: what a page holding its own token would do); `?sdk` restores
 * the session from the vault and uses `auth.fetch`.
 */
import { createAuthClient } from '@oauth-enclave/client'

declare global {
  interface Window {
    benchToken?: string
    benchDone?: number
  }
}

const config = __DEMO_CONFIG__
const url = `${config.apiOrigin}/api/data?bytes=1024`
const mode = location.search.slice(1)
document.getElementById('mode')!.textContent = mode

async function run(): Promise<void> {
  let response: Response
  if (mode === 'plain') {
    response = await fetch(url, { headers: { authorization: `Bearer ${window.benchToken}` } })
  } else {
    const auth = createAuthClient({
      issuer: config.issuer,
      clientId: config.clientId,
      redirectUri: `${location.origin}/callback`,
      scope: config.scope,
      allowedOrigins: [`${config.apiOrigin}/api/`],
    })
    response = await auth.fetch(url)
  }
  if (!response.ok) throw new Error(`status ${response.status}`)
  await response.arrayBuffer()
  window.benchDone = performance.now()
  console.log(`bench-done ${window.benchDone}`)
}

void run()
