import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vite'
import { devServer } from '../vite/dev-server.js'

const dev = devServer()

/**
 * A Svelte 5 app built by Vite with Svelte's own plugin, as `npm create vite` sets it up; under the
 * dev server, its config and CSP as the Vite app's.
 */
export default defineConfig({ ...dev, plugins: [svelte({ configFile: false }), ...dev.plugins] })
