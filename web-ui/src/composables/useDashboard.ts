// The dashboard's data: status counts and mean MTTA/MTTR (stats API) and the active incidents, filtered,
// kept fresh by polling. Counts are for all incidents; the filters narrow the table only.
import { computed, ref, watch, type Ref } from 'vue'
import { incidents as incidentsApi } from '@/api/endpoints'
import type { Incident, IncidentStats, Severity } from '@/api/types'
import { SEVERITY_RANK } from '@/utils/format'
import { usePolling } from './usePolling'

export const ACTIVE_STATUSES = ['open', 'acknowledged', 'in_progress'] as const
export const TABLE_LIMIT = 100
export const REFRESH_MS = 10000

export interface DashboardFilters {
  severity?: Severity
  service?: string
}

/** Most severe first, then newest first: what needs eyes now is at the top. */
export function byUrgency(a: Incident, b: Incident): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || Date.parse(b.created_at) - Date.parse(a.created_at)
}

export function useDashboard(filters: Ref<DashboardFilters>, refreshMs = REFRESH_MS) {
  const stats = ref<IncidentStats | null>(null)
  const active = ref<Incident[]>([])
  const activeTotal = ref(0)

  async function load() {
    const [statsAnswer, page] = await Promise.all([
      incidentsApi.stats(),
      incidentsApi.list({ status: [...ACTIVE_STATUSES], ...filters.value, page_size: TABLE_LIMIT }),
    ])
    stats.value = statsAnswer
    active.value = [...page.items].sort(byUrgency)
    activeTotal.value = page.total
  }

  const polling = usePolling(load, refreshMs)
  watch(filters, () => void polling.refresh(), { deep: true })

  /** Services to filter by: the noisiest ones, those with active incidents, and the one chosen. */
  const services = computed(() => {
    const names = new Set<string>()
    stats.value?.by_service.forEach((s) => names.add(s.service))
    active.value.forEach((i) => names.add(i.service))
    if (filters.value.service) names.add(filters.value.service)
    return [...names].sort()
  })

  return { stats, active, activeTotal, services, ...polling }
}
