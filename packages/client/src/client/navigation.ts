/** Navigates the page. */
export function navigate(href: string): void {
  location.assign(href)
}
