// A service worker the demo does not declare, registered only by e2e/security/service-worker.spec.ts:
// it takes control at once and passes every request through, as a generic caching or analytics
// service worker would, seeing each response on its way.
self.addEventListener('install', () => self.skipWaiting())
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()))
self.addEventListener('fetch', (event) => event.respondWith(fetch(event.request)))
