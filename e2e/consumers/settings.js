// @ts-check
/**
 * Where the consumer apps of e2e/consumers listen: each its own origin, registered at the demo
 * provider and allowed by the demo API like the SPA. Ports come from the environment, by default
 * just above the SPA's, so runs on different SPA_PORTs never collide.
 */
import { spaPort } from '../../demo/spa/settings.js'

const env = process.env
const HOST = '127.0.0.1'

/** @param {string} name @param {number} offset */
const port = (name, offset) => Number(env[name] ?? spaPort + offset)

export const ports = {
  /** The Vite app's production build, served statically. */
  viteBuild: port('CONSUMER_VITE_PORT', 1),
  /** The Vite app under Vite's dev server: the SDK arrives pre-bundled. */
  viteDev: port('CONSUMER_VITE_DEV_PORT', 2),
  /** The webpack 5 app's production build. */
  webpack: port('CONSUMER_WEBPACK_PORT', 3),
  /** The Vite build again, with the `worker` option and a worker file the app serves itself. */
  selfServedWorker: port('CONSUMER_SELF_WORKER_PORT', 4),
  /** The Angular CLI app's production build (`ng build`, the esbuild application builder). */
  angular: port('CONSUMER_ANGULAR_PORT', 9),
}

/** @type {Record<keyof typeof ports, string>} */
export const origins = {
  viteBuild: `http://${HOST}:${ports.viteBuild}`,
  viteDev: `http://${HOST}:${ports.viteDev}`,
  webpack: `http://${HOST}:${ports.webpack}`,
  selfServedWorker: `http://${HOST}:${ports.selfServedWorker}`,
  angular: `http://${HOST}:${ports.angular}`,
}

/** Each app's redirect URI, for the provider's EXTRA_REDIRECT_URIS. */
export const redirectUris = Object.values(origins).map((origin) => `${origin}/callback`)
