/** Reading binary values as text, in the page (a self-contained helper: see in-page.ts). */

/**
 * The strings a token could appear as in `bytes`: latin1, UTF-8 and base64url, so that a search
 * finds one stored or sent in binary form.
 */
export function decodeBytes(bytes: Uint8Array): string[] {
  let latin1 = ''
  for (const byte of bytes) latin1 += String.fromCharCode(byte)
  const base64url = btoa(latin1).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  return [latin1, new TextDecoder().decode(bytes), base64url]
}

/** `bytes` in base64url without padding (RFC 4648 §5), as JOSE writes it. */
export function base64url(bytes: Uint8Array): string {
  let latin1 = ''
  for (const byte of bytes) latin1 += String.fromCharCode(byte)
  return btoa(latin1).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
