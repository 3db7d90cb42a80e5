import { afterEach, describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { REPORT_INTERVAL_MS, watchActivity } from '../../src/client/activity'
import type { WorkerConnection } from '../../src/client/worker-connection'

let stop: (() => void) | undefined
afterEach(() => {
  stop?.()
  stop = undefined
  document.body.replaceChildren()
})

/** Watches the page with a clock the test moves; counts the reports that reach the "worker". */
function watch(timeoutSeconds = 900, fails = false) {
  let time = 1_000_000
  const reports = vi.fn()
  // A plain function, not the spy: a spy would handle the rejection itself (its settled results).
  const reportActivity = async () => {
    reports()
    if (fails) throw new Error('worker gone')
  }
  const connection = {
    call: (task: (api: { reportActivity: () => Promise<void> }) => Promise<unknown>) => task({ reportActivity }),
  } as unknown as WorkerConnection
  stop = watchActivity(connection, timeoutSeconds, () => time)
  return { reports, advance: (ms: number) => (time += ms) }
}

function target(): HTMLButtonElement {
  const button = document.createElement('button')
  button.textContent = 'target'
  document.body.append(button)
  return button
}

describe('watchActivity', () => {
  it('reports a click, a key and the wheel at once, then at most once per interval', async () => {
    const { reports, advance } = watch()
    const button = target()
    await userEvent.click(button)
    expect(reports).toHaveBeenCalledTimes(1)
    await userEvent.keyboard('a')
    await userEvent.wheel(button, { delta: { y: 100 } })
    advance(REPORT_INTERVAL_MS - 1)
    await userEvent.click(button)
    expect(reports).toHaveBeenCalledTimes(1)
    advance(1)
    await userEvent.keyboard('b')
    expect(reports).toHaveBeenCalledTimes(2)
    advance(REPORT_INTERVAL_MS)
    await userEvent.wheel(button, { delta: { y: 100 } })
    expect(reports).toHaveBeenCalledTimes(3)
  })

  it.each([
    ['a click (pointerdown)', (button: HTMLElement) => userEvent.click(button)],
    ['a key (keydown)', () => userEvent.keyboard('x')],
    ['the wheel', (button: HTMLElement) => userEvent.wheel(button, { delta: { y: 100 } })],
  ])('counts %s on its own', async (_, act) => {
    const { reports } = watch()
    await act(target())
    expect(reports).toHaveBeenCalledTimes(1)
  })

  it('reports at most once per tenth of a short timeout', async () => {
    const { reports, advance } = watch(2)
    const button = target()
    await userEvent.click(button)
    advance(199)
    await userEvent.click(button)
    expect(reports).toHaveBeenCalledTimes(1)
    advance(1)
    await userEvent.click(button)
    expect(reports).toHaveBeenCalledTimes(2)
  })

  it('does not count pointer moves, or events the page dispatches itself', async () => {
    const { reports } = watch()
    const button = target()
    await userEvent.hover(button)
    await userEvent.unhover(button)
    button.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }))
    dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }))
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }))
    expect(reports).not.toHaveBeenCalled()
  })

  it('sees events whose propagation the app stops', async () => {
    const { reports } = watch()
    const button = target()
    button.addEventListener('pointerdown', (event) => event.stopPropagation())
    await userEvent.click(button)
    expect(reports).toHaveBeenCalledTimes(1)
  })

  it('ignores a failed report, leaving no unhandled rejection, and reports the next activity again', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (event: PromiseRejectionEvent) => {
      unhandled.push(event.reason)
      event.preventDefault()
    }
    addEventListener('unhandledrejection', onUnhandled)
    try {
      const { reports, advance } = watch(900, true)
      const button = target()
      await userEvent.click(button)
      advance(REPORT_INTERVAL_MS)
      await userEvent.click(button)
      expect(reports).toHaveBeenCalledTimes(2)
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(unhandled).toEqual([])
    } finally {
      removeEventListener('unhandledrejection', onUnhandled)
    }
  })

  it('stops watching when told to', async () => {
    const { reports } = watch()
    stop?.()
    await userEvent.click(target())
    expect(reports).not.toHaveBeenCalled()
  })
})
