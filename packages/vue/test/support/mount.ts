import { createApp, nextTick, type App, type Component, type Plugin } from 'vue'

const mounted: App[] = []

/** Mounts an app of `root` using `plugins` into a fresh element of the real document. */
export function mount(root: Component, ...plugins: Plugin[]): { app: App; element: HTMLElement } {
  const element = document.createElement('div')
  document.body.append(element)
  const app = createApp(root)
  for (const plugin of plugins) app.use(plugin)
  app.mount(element)
  mounted.push(app)
  return { app, element }
}

/** Unmounts every app {@link mount} mounted. */
export function cleanup(): void {
  for (const app of mounted.splice(0)) app.unmount()
  document.body.replaceChildren()
}

/** Lets pending promises, and the renders they trigger, run. */
export async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0))
  await nextTick()
}
