import { login, logout } from '../support/spa-session.js'
import { expect, test } from '../support/test'
import { mainThreadHeapSnapshot, tokensInSnapshot, workerHeapSnapshots } from './heap-snapshot'
import { allIssuedTokens, currentTokens, exerciseSession } from './session-scenario'

test('the main thread heap holds no token after login, a refresh, 100 fetches and logout; the worker heap does', async ({
  page,
}) => {
  await login(page)
  const afterLogin = await mainThreadHeapSnapshot(page)

  await exerciseSession(page)
  const afterTraffic = await mainThreadHeapSnapshot(page)

  // The positive control: the same search finds the tokens where they are meant to be.
  const current = await currentTokens()
  const workers = await workerHeapSnapshots(page, /\/(auth\.)?worker[^/]*\.js/)
  expect(workers).toHaveLength(1)
  expect(tokensInSnapshot(workers[0]!.snapshot, [current.access, current.refresh])).toEqual([
    current.access,
    current.refresh,
  ])

  await logout(page)
  const afterLogout = await mainThreadHeapSnapshot(page)

  // Every token the provider has issued, this test's login and refresh included.
  const tokens = await allIssuedTokens()
  expect(tokensInSnapshot(afterLogin, tokens), 'after login').toEqual([])
  expect(tokensInSnapshot(afterTraffic, tokens), 'after a refresh and 100 fetches').toEqual([])
  expect(tokensInSnapshot(afterLogout, tokens), 'after logout').toEqual([])
})
