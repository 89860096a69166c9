// Who is signed in. The platform answers GET /api/v1/auth/me: a user (signed in with the session
// cookie), or an anonymous admin when it runs without auth (AUTH_REQUIRED=false: no sign-in at all),
// or 401 (sign-in needed). The session's CSRF token goes to the API client for unsafe requests.
import { computed, ref, watch } from 'vue'
import { ApiError, setCsrfToken } from '@/api/client'
import { auth, type SessionUser } from '@/api/endpoints'
import { setViewerZone } from '@/utils/format'

const user = ref<SessionUser | null>(null)
const authRequired = ref(true)
const checked = ref(false)
let pending: Promise<void> | null = null
// Times are shown in the signed-in user's zone (their profile's), else in the browser's.
watch(user, (signedIn) => setViewerZone(signedIn?.timezone), { flush: 'sync' })

async function refresh(): Promise<void> {
  try {
    const me = await auth.me()
    authRequired.value = me.principal.kind !== 'anonymous'
    user.value = me.user
    setCsrfToken(me.csrf_token)
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error
    authRequired.value = true
    user.value = null
    setCsrfToken(null)
  } finally {
    checked.value = true
  }
}

export function useSession() {
  /** Ask the platform once (again after sign-in or sign-out). */
  const load = () => (pending ??= refresh().catch((error) => {
    pending = null
    throw error
  }))
  const signIn = async (email: string, password: string) => {
    const answer = await auth.login(email, password)
    user.value = answer.user
    authRequired.value = true
    checked.value = true
    setCsrfToken(answer.csrf_token)
    pending = Promise.resolve()
  }
  const signOut = async () => {
    try {
      await auth.logout()
    } finally {
      user.value = null
      setCsrfToken(null)
      pending = null
    }
  }
  /** A 401 from any call: the session ended; the next page asks for a sign-in. */
  const forget = () => {
    user.value = null
    setCsrfToken(null)
    pending = Promise.resolve()
  }
  /** The profile changed (name, time zone): the header and every time follow. */
  const update = (changed: SessionUser) => {
    user.value = { ...changed }
  }
  const signedIn = computed(() => user.value !== null)
  // Without auth every request acts as an anonymous admin, so the admin pages are open too.
  const isAdmin = computed(() => (user.value ? user.value.role === 'admin' : checked.value && !authRequired.value))
  const needsSignIn = computed(() => checked.value && authRequired.value && user.value === null)
  return { user, authRequired, checked, signedIn, isAdmin, needsSignIn, load, signIn, signOut, forget, update }
}
