// Run a loader now and then every `intervalMs`, while the tab is visible; catch up as soon as it is shown
// again. Errors are kept for display (not thrown), and the last good data stays on screen meanwhile.
import { getCurrentScope, onScopeDispose, ref } from 'vue'

export function usePolling(load: () => Promise<void>, intervalMs: number) {
  const loading = ref(false)
  const error = ref<Error | null>(null)
  const lastUpdated = ref<number | null>(null)
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false
  let inFlight: Promise<void> | null = null
  let again = false

  /** Load now; asked while a load runs, load once more after it (it may have started before a change). */
  async function refresh(): Promise<void> {
    if (inFlight) {
      again = true
      return inFlight
    }
    loading.value = true
    inFlight = (async () => {
      try {
        await load()
        error.value = null
        lastUpdated.value = Date.now()
      } catch (e) {
        error.value = e instanceof Error ? e : new Error(String(e))
      } finally {
        loading.value = false
        inFlight = null
        if (again && !stopped) {
          again = false
          void refresh()
        }
      }
    })()
    return inFlight
  }

  function schedule() {
    clearTimeout(timer)
    if (stopped) return
    timer = setTimeout(async () => {
      if (!document.hidden) await refresh()
      schedule()
    }, intervalMs)
  }

  function onVisibility() {
    if (!document.hidden && !stopped) {
      void refresh()
      schedule()
    }
  }

  function stop() {
    stopped = true
    clearTimeout(timer)
    document.removeEventListener('visibilitychange', onVisibility)
  }

  document.addEventListener('visibilitychange', onVisibility)
  if (getCurrentScope()) onScopeDispose(stop)
  const first = refresh()
  schedule()

  return { loading, error, lastUpdated, refresh, stop, ready: first }
}
