import { AuthError } from '@oauth-enclave/client'
import { getContext, hasContext, setContext } from 'svelte'
import type { Auth } from './create-auth.js'

const key = Symbol('oauth-enclave auth')

/**
 * Gives `auth` to the calling component's descendants, for {@link getAuthContext}; call it during
 * the component's initialisation (the root layout, say). Returns `auth`.
 *
 * @example
 * ```svelte
 * <script lang="ts">
 *   let { children } = $props()
 *   setAuthContext(createAuth(() => createAuthClient({ … })))
 * </script>
 *
 * {@render children()}
 * ```
 *
 * @see RFC 6749 §4.1 (Authorization Code Grant)
 */
export function setAuthContext(auth: Auth): Auth {
  return setContext(key, auth)
}

/**
 * The {@link Auth} an ancestor gave with {@link setAuthContext}; call it during the component's
 * initialisation.
 *
 * @throws AuthError `config_error` without an ancestor that called {@link setAuthContext}.
 * @see RFC 6749 §4.1 (Authorization Code Grant)
 */
export function getAuthContext(): Auth {
  if (!hasContext(key)) {
    throw new AuthError('config_error', 'getAuthContext() needs a parent component that called setAuthContext()')
  }
  return getContext<Auth>(key)
}
