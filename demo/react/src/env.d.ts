declare const __DEMO_CONFIG__: {
  issuer: string
  clientId: string
  scope: string
  apiOrigin: string
}
