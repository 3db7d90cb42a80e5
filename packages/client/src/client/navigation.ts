/** Navigates the page; `null` stays. */
export function navigate(href: string | null): void {
  if (href) location.assign(href)
}
