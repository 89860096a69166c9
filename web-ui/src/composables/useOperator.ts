// Who is at the keyboard: the name recorded as actor of status changes and as author of notes.
// The platform has no log-in yet, so it is asked once and kept in this browser.
import { ref, watch } from 'vue'

const KEY = 'incident-platform.operator'
const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY)
const operator = ref(stored ?? '')

watch(operator, (name) => {
  const trimmed = name.trim()
  if (trimmed) localStorage.setItem(KEY, trimmed)
  else localStorage.removeItem(KEY)
})

export function useOperator() {
  /** The name to record: the one given, else "web-ui" so an action is never anonymous. */
  const actor = () => operator.value.trim() || 'web-ui'
  return { operator, actor }
}
