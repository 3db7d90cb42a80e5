import { createAuthClient } from '@oauth-enclave/client'
import { createAuth } from '@oauth-enclave/vue'
import { createApp } from 'vue'
import App from './App.vue'

const config = await (await fetch('/config.json')).json()

const auth = createAuth(
  () =>
    createAuthClient({
      issuer: config.issuer,
      clientId: config.clientId,
      redirectUri: `${location.origin}/callback`,
      postLogoutRedirectUri: `${location.origin}/`,
      scope: config.scope,
      allowedOrigins: [`${config.apiOrigin}/api/`],
    }),
  { onRedirectCallback: ({ returnTo }) => history.replaceState(history.state, '', returnTo ?? '/') },
)

createApp(App, { apiOrigin: config.apiOrigin }).use(auth).mount('#app')
