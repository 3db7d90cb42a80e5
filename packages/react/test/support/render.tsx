import { act, type ReactNode } from 'react'
import { createRoot, type Root } from 'react-dom/client'

// Tells React that updates are wrapped in act(), as in any test environment.
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

const mounted: Root[] = []

/** Renders into a fresh element of the real document; {@link cleanup} unmounts everything. */
export async function render(ui: ReactNode): Promise<HTMLElement> {
  const container = document.createElement('div')
  document.body.append(container)
  const root = createRoot(container)
  mounted.push(root)
  await act(async () => root.render(ui))
  return container
}

export async function cleanup(): Promise<void> {
  for (const root of mounted.splice(0)) await act(async () => root.unmount())
  document.body.replaceChildren()
}

/** Lets pending promises and the effects they trigger run. */
export async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0))
  })
}
