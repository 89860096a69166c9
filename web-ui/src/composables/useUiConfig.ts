// Settings the gateway hands the SPA at run time (/ui-config.json, rendered from the environment),
// so one built image serves any deployment.
import { ref } from 'vue'
import { uiConfig } from '@/api/endpoints'

export const DEFAULT_GRAFANA_URL = 'http://localhost:3000'

const grafanaUrl = ref(DEFAULT_GRAFANA_URL)
let loaded: Promise<void> | null = null

export function useUiConfig() {
  loaded ??= uiConfig
    .get()
    .then((config) => {
      if (config?.grafana_url && /^https?:\/\//.test(config.grafana_url)) {
        grafanaUrl.value = config.grafana_url.replace(/\/+$/, '')
      }
    })
    .catch(() => {
      // A gateway without the file (e.g. `npm run dev` alone) keeps the default.
    })
  return { grafanaUrl, ready: loaded }
}
