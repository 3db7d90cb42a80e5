// No bundler: the package's dist/ is served as it is, at /vendor/oauth-enclave-client/. It has no
// bare imports, so no import map is needed.
import { AuthError, createAuthClient } from '/vendor/oauth-enclave-client/index.js'
import { start } from '/app.js'

start({ AuthError, createAuthClient })
