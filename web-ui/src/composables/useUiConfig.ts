// Settings the gateway hands the SPA at run time (/ui-config.json, rendered from the environment),
// so one built image serves any deployment.
import { ref } from 'vue'
import { uiConfig } from '@/api/endpoints'

// No Grafana unless the deployment names one (GRAFANA_URL): the native stack has none, compose does.
const grafanaUrl = ref('')
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
      // A gateway without the file (e.g. `npm run dev` alone): no Grafana link.
    })
  return { grafanaUrl, ready: loaded }
}
