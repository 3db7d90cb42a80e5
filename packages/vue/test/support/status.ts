import { AuthError } from '@oauth-enclave/client'
import { defineComponent, h } from 'vue'
import { useAuth } from '../../src/index'

/** Shows what `useAuth()` says, in one line of text. */
export const Status = defineComponent(() => {
  const { isLoading, isAuthenticated, user, error, idleWarning } = useAuth()
  return () => {
    if (isLoading.value) return h('p', 'loading')
    if (error.value) {
      return h('p', `error: ${error.value instanceof AuthError ? error.value.code : error.value.message}`)
    }
    const warning = idleWarning.value ? `, idle for ${idleWarning.value.secondsLeft} s` : ''
    return h('p', isAuthenticated.value ? `signed in as ${user.value?.sub}${warning}` : 'signed out')
  }
})
