// A clock that ticks every second for ages and "updated 5s ago" labels, shared by every component.
import { getCurrentScope, onScopeDispose, ref } from 'vue'

const now = ref(Date.now())
let users = 0
let timer: ReturnType<typeof setInterval> | undefined

export function useNow() {
  if (users++ === 0) timer = setInterval(() => (now.value = Date.now()), 1000)
  if (getCurrentScope())
    onScopeDispose(() => {
      if (--users === 0) clearInterval(timer)
    })
  return now
}
