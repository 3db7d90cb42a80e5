// An app that only handles the SDK's errors, from the errors subpath: its build must hold no worker.
import { AuthError, isAuthError } from '@oauth-enclave/client/errors'

console.log(AuthError.name, isAuthError(null))
