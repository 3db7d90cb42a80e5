import { NgZone, provideZonelessChangeDetection } from '@angular/core'
import { describe, expect, it } from 'vitest'
import { provideAuth } from '../src/index.js'
import { createFakeClient, SIGNED_IN, SIGNED_OUT } from './support/fake-client.js'
import { bootstrapStatus, waitForText } from './support/status-component.js'

describe('zoneless change detection', () => {
  it('renders every state the client emits, with no zone', async () => {
    const client = createFakeClient(SIGNED_OUT)
    const { app, host } = await bootstrapStatus([provideZonelessChangeDetection(), provideAuth(client)])
    expect(typeof (globalThis as { Zone?: unknown }).Zone).toBe('undefined')
    expect(app.injector.get(NgZone)).not.toBeInstanceOf(NgZone)
    await waitForText(host, 'Signed out')
    client.emit(SIGNED_IN)
    await waitForText(host, 'Signed in as alice')
    client.emit(SIGNED_OUT)
    await waitForText(host, 'Signed out')
    app.destroy()
  })
})
