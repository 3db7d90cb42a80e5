// Before Angular: zone.js patches the browser's async APIs. This file runs in a page of its own.
import 'zone.js'
import { NgZone, provideZoneChangeDetection } from '@angular/core'
import { describe, expect, it } from 'vitest'
import { bootstrapStatus, waitForText } from './support/status-component.js'
import { provideAuth } from '../src/index.js'
import { createFakeClient, SIGNED_IN, SIGNED_OUT } from './support/fake-client.js'

describe('zone.js change detection', () => {
  it('renders every state the client emits, in the zone or outside it', async () => {
    const client = createFakeClient(SIGNED_OUT)
    const { app, host } = await bootstrapStatus([provideZoneChangeDetection(), provideAuth(client)])
    const zone = app.injector.get(NgZone)
    expect(zone).toBeInstanceOf(NgZone)
    await waitForText(host, 'Signed out')
    zone.runOutsideAngular(() => client.emit(SIGNED_IN))
    await waitForText(host, 'Signed in as alice')
    zone.run(() => client.emit(SIGNED_OUT))
    await waitForText(host, 'Signed out')
    app.destroy()
  })
})
