import { isAbsolute } from 'node:path'
import { defineConfig } from 'vite'

/**
 * The library build: `dist/index.js`. Every bare import (@angular/*, rxjs,
 * @oauth-enclave/client) stays an import: they are peer dependencies, one copy per app.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: 'index' },
    rolldownOptions: {
      external: (id) => !id.startsWith('.') && !isAbsolute(id) && !id.startsWith('\0'),
    },
  },
})
