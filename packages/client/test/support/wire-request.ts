import type { WireRequest } from '../../src/shared/wire'

/** A complete `WireRequest` for a GET of `url`, as the page's client would send it. */
export function wireRequest(url: string, overrides: Partial<WireRequest> = {}): WireRequest {
  return {
    id: 1,
    url,
    method: 'GET',
    headers: [],
    body: null,
    mode: 'cors',
    credentials: 'same-origin',
    cache: 'default',
    redirect: 'follow',
    integrity: '',
    keepalive: false,
    referrerPolicy: '',
    abortable: false,
    ...overrides,
  }
}
