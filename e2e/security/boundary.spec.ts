import { sdkChannelName } from '../support/sdk-names'
import { login, logout } from '../support/spa-session.js'
import { demo, expect, test } from '../support/test'
import { findTokens } from '../support/token-search'
import { recordBoundary, type BoundaryChannel } from './boundary-recorder'
import { allIssuedTokens, exerciseSession } from './session-scenario'

test('no message crossing the worker boundary, either way, holds a token', async ({ page }) => {
  const boundary = await recordBoundary(page, [sdkChannelName(demo.issuer, demo.clientId)])

  await login(page)
  await exerciseSession(page)

  // Controls: the recorder sees every kind of crossing, contents included. A marker goes out in a
  // transferred buffer and in a transferred stream, and comes back in a small response (one
  // transferred buffer) and in a large one (a transferred stream).
  const marker = `boundary-marker-${Date.now()}`
  const echoed = await page.evaluate(
    async ({ api, marker }) => {
      const echo = async (body: BodyInit) => {
        const response = await window.auth.fetch(`${api}/api/echo`, { method: 'POST', body })
        return ((await response.json()) as { text: string }).text
      }
      const small = await echo(new TextEncoder().encode(marker))
      // The echo's answer, just over the SDK's 64 KiB limit for buffered answers, streams back.
      const large = await echo(new TextEncoder().encode(`${marker}-large`.padEnd(65_400, '.')))
      // A streaming upload: over HTTP/1.1 the worker's fetch may refuse it, after the stream crossed.
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(`${marker}-streamed`))
          controller.close()
        },
      })
      const init = { method: 'POST', body: stream, duplex: 'half' } as RequestInit
      await window.auth.fetch(`${api}/api/echo`, init).then(
        (response) => response.arrayBuffer(),
        () => undefined,
      )
      return [small, large.slice(0, marker.length + 6)]
    },
    { api: demo.apiOrigin, marker },
  )
  expect(echoed).toEqual([marker, `${marker}-large`])

  await logout(page)
  await boundary.settle()

  const has = (channels: BoundaryChannel[], text: string) =>
    channels.some((channel) => boundary.of(channel).some((entry) => entry.includes(text)))
  expect(has(['out worker'], demo.issuer), 'page → worker: the init call').toBe(true)
  expect(has(['out worker'], marker), 'page → worker: a transferred buffer').toBe(true)
  expect(has(['out stream', 'out port'], `${marker}-streamed`), 'page → worker: a streamed body').toBe(true)
  expect(has(['in worker'], `"text":"${marker}"`), 'worker → page: a response body in a buffer').toBe(true)
  // However the SDK streams bodies back: a transferred stream, or a port the chunks come over.
  expect(has(['in stream', 'in port'], `"text":"${marker}-large`), 'worker → page: a streamed body').toBe(true)
  expect(has(['in port'], 'authenticated'), 'worker → page: state events on the comlink port').toBe(true)
  // The page does not answer the state events (the worker never reads answers): what it sends on a
  // port is the flow credit of a body streaming back (stream-bridge.ts).
  expect(has(['out port'], 'credit'), "page → worker: a streamed body's flow credits").toBe(true)
  expect(has(['broadcast'], 'changed'), 'worker → every tab: tab sync').toBe(true)

  expect(findTokens(boundary.text(), await allIssuedTokens())).toEqual([])
})
