// @ts-check
/**
 * The few HTML pages the demo provider renders itself (logout, post-logout, errors). The login page
 * comes from oidc-provider's devInteractions. These pages live on the provider's origin, not the
 * SPA's, so the SPA's strict CSP does not apply and an inline script is fine here.
 */

/**
 * The slice of Koa's context the page renderers touch (oidc-provider ships no type declarations).
 *
 * @typedef {{ type: string, body: unknown, host: string, oidc: any }} PageContext
 */

/** @param {unknown} value */
function escapeHtml(value) {
  return String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  )
}

/**
 * @param {string} title
 * @param {string} body
 */
function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}</style>
</head>
<body>
${body}
</body>
</html>`
}

/**
 * `features.rpInitiatedLogout.logoutSource` for a provider with one first-party client: that client's
 * logout requests are confirmed automatically (the SPA already asked its user), anyone else gets the
 * usual confirmation form.
 *
 * @param {string} firstPartyClientId
 * @returns {(ctx: PageContext, form: string) => Promise<void>}
 */
export function createLogoutSource(firstPartyClientId) {
  return async function logoutSource(ctx, form) {
    ctx.type = 'html'
    if (ctx.oidc.client?.clientId === firstPartyClientId) {
      // `form` is oidc-provider's own markup (action + xsrf input): adding `logout=yes` ends the
      // whole provider session rather than only this client's part of it.
      const confirmed = form.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>')
      ctx.body = page(
        'Signing out',
        `<p>Signing out…</p>
${confirmed}
<noscript><button type="submit" form="op.logoutForm">Sign out</button></noscript>
<script>document.getElementById('op.logoutForm').submit();</script>`,
      )
      return
    }
    ctx.body = page(
      'Sign out',
      `<h1>Sign out from ${escapeHtml(ctx.host)}?</h1>
${form}
<button autofocus type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`,
    )
  }
}

/**
 * `features.rpInitiatedLogout.postLogoutSuccessSource`: shown only when no
 * `post_logout_redirect_uri` was given.
 *
 * @param {PageContext} ctx
 */
export async function postLogoutSuccessSource(ctx) {
  ctx.type = 'html'
  ctx.body = page('Signed out', '<h1>Signed out</h1><p>Your provider session has ended.</p>')
}

/**
 * `renderError`: the protocol error only (`error`, `error_description`, `state`), never a token.
 *
 * @param {PageContext} ctx
 * @param {Record<string, unknown>} out
 */
export async function renderError(ctx, out) {
  ctx.type = 'html'
  const rows = Object.entries(out)
    .map(([key, value]) => `<p><strong>${escapeHtml(key)}</strong>: ${escapeHtml(value)}</p>`)
    .join('\n')
  ctx.body = page('Provider error', `<h1>Something went wrong</h1>\n${rows}`)
}
