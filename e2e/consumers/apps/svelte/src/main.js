import { createAuthClient } from '@oauth-enclave/client'
import { createAuth } from '@oauth-enclave/svelte'
import { mount } from 'svelte'
import App from './App.svelte'

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

mount(App, { target: document.getElementById('app'), props: { auth, apiOrigin: config.apiOrigin } })
