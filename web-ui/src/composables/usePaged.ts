// One paginated list from the API: the current page, its total, loading and the last error.
import { ref } from 'vue'
import type { Page } from '@/api/types'

export function usePaged<T>(fetchPage: (page: number) => Promise<Page<T>>) {
  const items = ref<T[]>([]) as { value: T[] }
  const page = ref(1)
  const total = ref(0)
  const pages = ref(1)
  const error = ref('')
  const loading = ref(false)

  async function go(to = page.value) {
    loading.value = true
    try {
      const answer = await fetchPage(to)
      items.value = answer.items
      total.value = answer.total
      page.value = answer.page
      pages.value = Math.max(1, Math.ceil(answer.total / answer.page_size))
      error.value = ''
    } catch (failure) {
      error.value = failure instanceof Error ? failure.message : String(failure)
    } finally {
      loading.value = false
    }
  }

  /** Put a changed record in place without asking again. */
  function replace(match: (item: T) => boolean, changed: T) {
    items.value = items.value.map((item) => (match(item) ? changed : item))
  }

  return { items, page, total, pages, error, loading, go, reload: () => go(page.value), replace }
}
