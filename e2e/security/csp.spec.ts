import { expect, test } from '../support/test'

/** The directives of a CSP header, by name. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  )
}

test('the demo page and its worker are served under a strict CSP with Trusted Types', async ({ page }) => {
  const document = await page.goto('/')
  await expect(page.getByTestId('status')).toHaveText('Signed out')
  const workerScript = page.workers()[0]?.url() ?? (await page.waitForEvent('worker')).url()
  const worker = await page.request.get(workerScript)

  for (const [what, header] of [
    ['page', document!.headers()['content-security-policy']],
    ['worker', worker.headers()['content-security-policy']],
  ] as const) {
    expect(header, what).toBeTruthy()
    const csp = directives(header!)
    expect(csp.get('default-src'), what).toEqual(["'none'"])
    expect(csp.get('script-src'), what).toEqual(["'self'"])
    expect(csp.get('worker-src'), what).toEqual(["'self'"])
    expect(csp.get('require-trusted-types-for'), what).toEqual(["'script'"])
    expect(csp.get('trusted-types'), what).toEqual(['oauth-enclave', 'demo-auth-worker'])
    expect(header, what).not.toMatch(/unsafe-inline|unsafe-eval|blob:|data:|\*/)
  }
})

test('under that CSP, page script gets no eval, no inline script, no blob: worker and no policy of its own', async ({
  page,
}) => {
  await page.goto('/')
  await expect(page.getByTestId('status')).toHaveText('Signed out')
  const refusals = await page.evaluate(async () => {
    const outcome = (attempt: () => unknown): string => {
      try {
        attempt()
        return 'allowed'
      } catch (error) {
        return (error as Error).name
      }
    }
    const script = document.createElement('script')
    // In a task of the page's own: code the test harness evaluates directly may skip the eval check.
    await new Promise((resolve) => setTimeout(resolve, 0))
    return {
      // eslint-disable-next-line no-eval -- the attempt the CSP must refuse.
      eval: outcome(() => eval('1')),
      // eslint-disable-next-line no-new-func -- the attempt the CSP must refuse.
      function: outcome(() => new Function('return 1')),
      innerHTML: outcome(() => (document.createElement('div').innerHTML = '<img src=x onerror=alert(1)>')),
      inlineScript: outcome(() => (script.textContent = 'alert(1)')),
      scriptSrc: outcome(() => (script.src = '/anything.js')),
      blobWorker: outcome(() => new Worker(URL.createObjectURL(new Blob(['postMessage(1)'])))),
      sameOriginWorker: outcome(() => new Worker('/assets/anything.js', { type: 'module' })),
      anotherPolicy: outcome(() => trustedTypesFactory().createPolicy('attacker', { createScriptURL: (s) => s })),
      // The SDK created its policy with the client, and the demo its own: a second one of either name is refused.
      theSdkPolicy: outcome(() => trustedTypesFactory().createPolicy('oauth-enclave', { createScriptURL: (s) => s })),
      theDemoPolicy: outcome(() =>
        trustedTypesFactory().createPolicy('demo-auth-worker', { createScriptURL: (s) => s }),
      ),
    }
    function trustedTypesFactory() {
      return (
        window as unknown as {
          trustedTypes: { createPolicy(name: string, rules: { createScriptURL(s: string): string }): unknown }
        }
      ).trustedTypes
    }
  })
  expect(refusals).toEqual({
    eval: 'EvalError',
    function: 'EvalError',
    innerHTML: 'TypeError',
    inlineScript: 'TypeError',
    scriptSrc: 'TypeError',
    blobWorker: 'TypeError',
    sameOriginWorker: 'TypeError',
    anotherPolicy: 'TypeError',
    theSdkPolicy: 'TypeError',
    theDemoPolicy: 'TypeError',
  })

  // The worker runs under the CSP of its own script: no eval there either.
  const inWorker = await page.workers()[0]!.evaluate(
    () =>
      new Promise<string>((resolve) =>
        setTimeout(() => {
          try {
            // eslint-disable-next-line no-eval -- the attempt the CSP must refuse.
            resolve(String(eval('1')))
          } catch (error) {
            resolve((error as Error).name)
          }
        }, 0),
      ),
  )
  expect(inWorker).toBe('EvalError')
})
