export { createAuth } from './create-auth.js'
export { getAuthContext, setAuthContext } from './auth-context.js'
export type { Auth, CreateAuthOptions } from './create-auth.js'
export type { AuthClientSource } from './client-source.js'
