// The SDK from another origin, a CDN (the test serves it): its worker would be cross-origin, which
// no browser starts, so `?worker=` names a same-origin copy for the `worker` option.
import { AuthError, createAuthClient } from 'https://cdn.oauth-enclave.test/@oauth-enclave/client/dist/index.js'
import { start } from '/app.js'

start({ AuthError, createAuthClient }, { workerUrl: new URLSearchParams(location.search).get('worker') })
