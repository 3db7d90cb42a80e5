// The same, from the main entry.
import { AuthError, isAuthError } from '@oauth-enclave/client'

console.log(AuthError.name, isAuthError(null))
