import { createAuthClient } from '@oauth-enclave/client'
import { AuthProvider } from '@oauth-enclave/react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app'

const config = __DEMO_CONFIG__

// Once per page, outside React: the client owns the worker, components only use it.
const auth = createAuthClient({
  issuer: config.issuer,
  clientId: config.clientId,
  redirectUri: `${location.origin}/callback`,
  postLogoutRedirectUri: `${location.origin}/`,
  scope: config.scope,
  allowedOrigins: [`${config.apiOrigin}/api/`],
})

// StrictMode runs every effect twice in development: the callback must still be redeemed once.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AuthProvider
      client={auth}
      onRedirectCallback={({ returnTo }) => history.replaceState(history.state, '', returnTo ?? '/')}
    >
      <App apiOrigin={config.apiOrigin} />
    </AuthProvider>
  </StrictMode>,
)
