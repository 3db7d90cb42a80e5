import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'
import { devServer } from '../vite/dev-server.js'

const dev = devServer()

/**
 * A Vue 3 app built by Vite with Vue's own plugin, as `npm create vue` sets it up; under the dev
 * server, its config and CSP as the Vite app's.
 */
export default defineConfig({ ...dev, plugins: [vue(), ...dev.plugins] })
