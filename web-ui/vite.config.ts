// Build and dev server of the SPA. `npm run dev` proxies /api to the services the same way nginx does
// (web-ui/nginx/default.conf.template), so the browser sees one origin in development too.
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

const env = process.env

// Path prefix -> service, as in the nginx gateway. GATEWAY_URL sends everything to one running gateway instead.
const services: Record<string, string> = {
  '/api/v1/alerts': env.ALERT_INGESTION_URL ?? 'http://127.0.0.1:8001',
  '/api/v1/integration-keys': env.ALERT_INGESTION_URL ?? 'http://127.0.0.1:8001',
  '/api/v1/heartbeats': env.ALERT_INGESTION_URL ?? 'http://127.0.0.1:8001',
  '/api/v1/maintenance-windows': env.ALERT_INGESTION_URL ?? 'http://127.0.0.1:8001',
  '/v2/enqueue': env.ALERT_INGESTION_URL ?? 'http://127.0.0.1:8001',
  '/api/v1/incidents': env.INCIDENT_MANAGEMENT_URL ?? 'http://127.0.0.1:8002',
  '/api/v1/grouping-rules': env.INCIDENT_MANAGEMENT_URL ?? 'http://127.0.0.1:8002',
  '/api/v1/schedules': env.ONCALL_SERVICE_URL ?? 'http://127.0.0.1:8003',
  '/api/v1/oncall': env.ONCALL_SERVICE_URL ?? 'http://127.0.0.1:8003',
  '/api/v1/escalate': env.ONCALL_SERVICE_URL ?? 'http://127.0.0.1:8003',
  '/api/v1/users': env.ONCALL_SERVICE_URL ?? 'http://127.0.0.1:8003',
  '/api/v1/teams': env.ONCALL_SERVICE_URL ?? 'http://127.0.0.1:8003',
  '/api/v1/escalations': env.INCIDENT_MANAGEMENT_URL ?? 'http://127.0.0.1:8002',
  '/api/v1/webhook-subscriptions': env.INCIDENT_MANAGEMENT_URL ?? 'http://127.0.0.1:8002',
  '/api/v1/escalation-policies': env.ONCALL_SERVICE_URL ?? 'http://127.0.0.1:8003',
  '/api/v1/service-routes': env.ONCALL_SERVICE_URL ?? 'http://127.0.0.1:8003',
  '/api/v1/audit/ingestion': env.ALERT_INGESTION_URL ?? 'http://127.0.0.1:8001',
  '/api/v1/audit/incidents': env.INCIDENT_MANAGEMENT_URL ?? 'http://127.0.0.1:8002',
  '/api/v1/audit/oncall': env.ONCALL_SERVICE_URL ?? 'http://127.0.0.1:8003',
  '/api/v1/auth': env.ONCALL_SERVICE_URL ?? 'http://127.0.0.1:8003',
  '/api/v1/tokens': env.ONCALL_SERVICE_URL ?? 'http://127.0.0.1:8003',
  '/api/v1/notify': env.NOTIFICATION_SERVICE_URL ?? 'http://127.0.0.1:8004',
  '/api/v1/notifications': env.NOTIFICATION_SERVICE_URL ?? 'http://127.0.0.1:8004',
}
const proxy = env.GATEWAY_URL
  ? { '/api': env.GATEWAY_URL, '/ui-config.json': env.GATEWAY_URL }
  : Object.fromEntries(Object.entries(services).map(([prefix, target]) => [prefix, { target }]))

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  build: {
    target: 'es2022',
    // Chart.js is only needed on the metrics page; keep it out of the first load.
    chunkSizeWarningLimit: 300,
  },
  server: { port: 5173, proxy },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.spec.ts'],
    restoreMocks: true,
    // jsdom pages on a loaded 2-core CI machine: 5 s (the default) was seen to run out while nothing was wrong.
    testTimeout: 30000,
  },
})
