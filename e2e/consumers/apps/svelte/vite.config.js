import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vite'

/** A Svelte 5 app built by Vite with Svelte's own plugin, as `npm create vite` sets it up. */
export default defineConfig({ plugins: [svelte({ configFile: false })] })
