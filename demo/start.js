// @ts-check
/**
 * `pnpm demo`: the provider, the API (and the outsider server), the SPA and the React demo in one process.
 * Ctrl-C stops all of them. With DEMO_ISSUER set, no local provider is started.
 */
import { createServer } from 'vite'
import { startApi, startOutsider } from './api/api.js'
import { closeOnSignals } from './shared/http-server.js'
import { startProvider } from './provider/provider.js'
import * as settings from './spa/settings.js'

const handles = []
if (settings.localProvider) {
  const provider = await startProvider({
    port: settings.providerPort,
    spaOrigin: settings.spaOrigin,
    apiOrigin: settings.apiOrigin,
    extraRedirectUris: [settings.altRedirectUri, settings.reactRedirectUri],
  })
  handles.push(provider)
  console.log(`provider  ${provider.issuer}  (log in with any name and password)`)
}
const api = await startApi({
  port: settings.apiPort,
  issuer: settings.issuer,
  spaOrigin: settings.spaOrigin,
  extraOrigins: [settings.reactOrigin],
})
const outsider = await startOutsider({ port: settings.outsiderPort })
handles.push(api, outsider)
console.log(`api       ${api.origin}`)

const spa = await createServer({ configFile: new URL('./spa/vite.config.ts', import.meta.url).pathname })
await spa.listen()
handles.push({ close: () => spa.close() })
const react = await createServer({ configFile: new URL('./react/vite.config.ts', import.meta.url).pathname })
await react.listen()
handles.push({ close: () => react.close() })

console.log(`\nOpen ${settings.spaOrigin}/ (or the React demo, ${settings.reactOrigin}/) — Ctrl-C stops everything.`)
closeOnSignals(handles)
