import { defineConfig } from 'vite'

/** Both apps of this folder in one Vite build: it must emit no worker for either. */
export default defineConfig({
  logLevel: 'warn',
  build: {
    outDir: 'dist-vite',
    rolldownOptions: { input: { 'errors-subpath': 'errors-subpath.js', 'main-entry': 'main-entry.js' } },
  },
})
