/**
 * What every Vite app here needs under Vite's dev server: `/config.json` from CONSUMER_CONFIG, and
 * the CSP of CONSUMER_CSP on every answer. The Vue and Svelte apps import it from here.
 *
 * @returns {import('vite').UserConfig}
 */
export function devServer() {
  return {
    plugins: [
      {
        name: 'config-json',
        configureServer(server) {
          server.middlewares.use('/config.json', (_req, res) => {
            res.setHeader('Content-Type', 'application/json')
            res.end(process.env.CONSUMER_CONFIG ?? '{}')
          })
        },
      },
    ],
    server: {
      headers: process.env.CONSUMER_CSP ? { 'Content-Security-Policy': process.env.CONSUMER_CSP } : {},
    },
  }
}
