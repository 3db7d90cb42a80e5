// A TypeScript app importing every public entry of the packed packages, type-checked with
// `skipLibCheck: false` under `moduleResolution` `bundler` and `node16` (tsconfig.*.json). One line
// per entry: a new package or subpath is one more line (consumers.spec.ts checks none is missing).
export * as client from '@oauth-enclave/client'
export * as clientErrors from '@oauth-enclave/client/errors'
export * as clientWorker from '@oauth-enclave/client/worker'
export * as react from '@oauth-enclave/react'
export * as vue from '@oauth-enclave/vue'
export * as svelte from '@oauth-enclave/svelte'
export * as angular from '@oauth-enclave/angular'
