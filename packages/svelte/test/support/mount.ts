import { flushSync, mount, tick, unmount, type Component } from 'svelte'

const mounted: object[] = []

/** Mounts `component` with `props` into a fresh element of the real document. */
export function render<Props extends Record<string, unknown>>(component: Component<Props>, props: Props): HTMLElement {
  const target = document.createElement('div')
  document.body.append(target)
  mounted.push(mount(component, { target, props }))
  flushSync()
  return target
}

/** Unmounts everything {@link render} mounted. */
export function cleanup(): void {
  for (const instance of mounted.splice(0)) void unmount(instance)
  document.body.replaceChildren()
}

/** Lets pending promises, and the updates they trigger, run. */
export async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0))
  await tick()
  flushSync()
}
