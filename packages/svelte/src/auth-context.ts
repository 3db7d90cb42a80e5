import { AuthError } from '@oauth-enclave/client'
import { getContext, hasContext, setContext } from 'svelte'
import type { Auth } from './create-auth.js'

const key = Symbol('oauth-enclave auth')

/** Whether a component is initialising and an ancestor set `context`; Svelte throws outside one. */
function inComponentWith(context: symbol): boolean {
  try {
    return hasContext(context)
  } catch {
    return false
  }
}

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
 * @throws AuthError `config_error` without an ancestor that called {@link setAuthContext}, or outside
 *   a component's initialisation.
 * @see RFC 6749 §4.1 (Authorization Code Grant)
 */
export function getAuthContext(): Auth {
  if (!inComponentWith(key)) {
    throw new AuthError('config_error', 'getAuthContext() needs a parent component that called setAuthContext()')
  }
  return getContext<Auth>(key)
}
