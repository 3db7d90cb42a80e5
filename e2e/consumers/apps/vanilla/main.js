// The entry the bundlers build: the SDK by its package name.
import { AuthError, createAuthClient } from '@oauth-enclave/client'
import { start } from './app.js'

start({ AuthError, createAuthClient })
