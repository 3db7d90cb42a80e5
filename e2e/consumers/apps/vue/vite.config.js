import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

/** A Vue 3 app built by Vite with Vue's own plugin, as `npm create vue` sets it up. */
export default defineConfig({ plugins: [vue()] })
