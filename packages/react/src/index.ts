export { AuthProvider } from './auth-provider.js'
export { useAuth, useAuthFetch } from './hooks.js'
export type { AuthContextValue } from './auth-context.js'
export type { AuthProviderProps } from './auth-provider.js'
