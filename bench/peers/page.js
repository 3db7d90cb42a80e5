// @ts-check
/** What the peers' pages share: the status line and login button, and the cold-start report. */

/**
 * Shows `Signed in` or `Signed out`; signed out, the page's button logs in.
 *
 * @param {boolean} signedIn
 * @param {() => Promise<unknown>} login
 */
export function showStatus(signedIn, login) {
  const status = /** @type {HTMLElement} */ (document.querySelector('[data-testid=status]'))
  status.textContent = signedIn ? 'Signed in' : 'Signed out'
  const button = /** @type {HTMLButtonElement} */ (document.querySelector('button'))
  button.hidden = signedIn
  button.onclick = () => void login()
}

/**
 * One authenticated 1 KB GET, then `bench-done <ms since navigation start>` on the console, as
 * demo/spa/src/bench.ts reports the SDK's and the plain fetch's.
 *
 * @param {(url: string) => Promise<Response>} send
 */
export async function reportCold(send) {
  const response = await send(`${__PEERS__.apiOrigin}/api/data?bytes=1024`)
  if (!response.ok) throw new Error(`status ${response.status}`)
  await response.arrayBuffer()
  console.log(`bench-done ${performance.now()}`)
}
