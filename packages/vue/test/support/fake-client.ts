// The adapters share one fake client.
export * from '../../../../test-support/fake-client'
