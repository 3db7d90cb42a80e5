import { describe, expect, it } from 'vitest'
import { endSessionUrl } from '../../src/protocol/end-session'
import { CLIENT_ID, ISSUER, metadata, providerContext } from '../support/fake-provider'

const ctx = providerContext(async () => new Response(), metadata({ end_session_endpoint: `${ISSUER}/logout` }))

describe('endSessionUrl (OpenID Connect RP-Initiated Logout 1.0 §2)', () => {
  it('names the client by client_id and sends no id_token_hint by default', () => {
    const url = endSessionUrl(ctx, 'https://app.example.test/')!
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID)
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe('https://app.example.test/')
    expect(url.searchParams.has('id_token_hint')).toBe(false)
  })

  it('sends the ID token as id_token_hint when asked, beside client_id', () => {
    const url = endSessionUrl(ctx, null, 'header.claims.signature')!
    expect(url.searchParams.get('id_token_hint')).toBe('header.claims.signature')
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID)
  })

  it('is null without an end-session endpoint', () => {
    expect(
      endSessionUrl(
        providerContext(async () => new Response()),
        null,
        'x.y.z',
      ),
    ).toBeNull()
  })
})
