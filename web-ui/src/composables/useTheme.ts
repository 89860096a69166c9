// Dark or light. Dark unless the person chose light: an on-call tool is read at night.
// The choice is kept in this browser and applied as data-theme on <html> (see styles/main.css).
import { ref, watchEffect } from 'vue'

export type Theme = 'dark' | 'light'
const KEY = 'incident-platform.theme'

function stored(): Theme {
  try {
    return localStorage.getItem(KEY) === 'light' ? 'light' : 'dark'
  } catch {
    return 'dark'
  }
}

const theme = ref<Theme>(stored())

watchEffect(() => {
  document.documentElement.dataset.theme = theme.value
  try {
    localStorage.setItem(KEY, theme.value)
  } catch {
    // Storage refused (private mode): the choice lasts for this page only.
  }
})

export function useTheme() {
  const toggle = () => (theme.value = theme.value === 'dark' ? 'light' : 'dark')
  return { theme, toggle }
}
