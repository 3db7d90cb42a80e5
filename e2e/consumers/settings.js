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
  /** The Vue app's production build (Vite, @oauth-enclave/vue). */
  vueBuild: port('CONSUMER_VUE_PORT', 6),
  /** The Svelte app's production build (Vite, @oauth-enclave/svelte). */
  svelteBuild: port('CONSUMER_SVELTE_PORT', 7),
  /** The Vue app under Vite's dev server. */
  vueDev: port('CONSUMER_VUE_DEV_PORT', 8),
  /** The Svelte app under Vite's dev server. */
  svelteDev: port('CONSUMER_SVELTE_DEV_PORT', 10),
  /** Rollup 4, ESM output, the package's worker file copied beside the bundle. */
  rollup: port('CONSUMER_ROLLUP_PORT', 12),
  /** esbuild 0.28, ESM output, the same copy step. */
  esbuildEsm: port('CONSUMER_ESBUILD_ESM_PORT', 13),
  /** esbuild 0.28, iife output (a classic script), with the `worker` option. */
  esbuildIife: port('CONSUMER_ESBUILD_IIFE_PORT', 14),
  /** Parcel 2 with its default settings, from its HTML entry. */
  parcel: port('CONSUMER_PARCEL_PORT', 15),
  /** No bundler: `<script type="module">` importing the package's `dist/` where the site serves it. */
  plainEsm: port('CONSUMER_PLAIN_ESM_PORT', 16),
  /** The Next.js app (App Router), prerendered by `next build` (`output: 'export'`), served statically. */
  next: port('CONSUMER_NEXT_PORT', 11),
  /** The Angular CLI app's production build (`ng build`, the esbuild application builder). */
  angular: port('CONSUMER_ANGULAR_PORT', 9),
}

/** @type {Record<keyof typeof ports, string>} */
export const origins = {
  viteBuild: `http://${HOST}:${ports.viteBuild}`,
  viteDev: `http://${HOST}:${ports.viteDev}`,
  webpack: `http://${HOST}:${ports.webpack}`,
  selfServedWorker: `http://${HOST}:${ports.selfServedWorker}`,
  vueBuild: `http://${HOST}:${ports.vueBuild}`,
  svelteBuild: `http://${HOST}:${ports.svelteBuild}`,
  vueDev: `http://${HOST}:${ports.vueDev}`,
  svelteDev: `http://${HOST}:${ports.svelteDev}`,
  rollup: `http://${HOST}:${ports.rollup}`,
  esbuildEsm: `http://${HOST}:${ports.esbuildEsm}`,
  esbuildIife: `http://${HOST}:${ports.esbuildIife}`,
  parcel: `http://${HOST}:${ports.parcel}`,
  plainEsm: `http://${HOST}:${ports.plainEsm}`,
  next: `http://${HOST}:${ports.next}`,
  angular: `http://${HOST}:${ports.angular}`,
}

/** Each app's redirect URI, for the provider's EXTRA_REDIRECT_URIS. */
export const redirectUris = Object.values(origins).map((origin) => `${origin}/callback`)
