// The dashboard's data: status counts and mean MTTA/MTTR (stats API), and one page of the active incidents
// as the server orders them (most severe first, then newest) with their counts per severity, so a storm of
// low alerts never pushes a critical off the first screen. Counts are for all incidents; filters narrow the list.
import { computed, ref, watch, type Ref } from 'vue'
import { incidents as incidentsApi } from '@/api/endpoints'
import { SEVERITIES, type Incident, type IncidentStats, type Severity, type SeverityCounts } from '@/api/types'
import { usePolling } from './usePolling'

export const ACTIVE_STATUSES = ['open', 'acknowledged', 'in_progress'] as const
export const PAGE_SIZE = 50
export const REFRESH_MS = 10000

export interface DashboardFilters {
  severity?: Severity
  service?: string
  page?: number
}

const NO_COUNTS = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts

export function useDashboard(filters: Ref<DashboardFilters>, refreshMs = REFRESH_MS) {
  const stats = ref<IncidentStats | null>(null)
  const active = ref<Incident[]>([])
  const activeTotal = ref(0)
  const severityCounts = ref<SeverityCounts>({ ...NO_COUNTS })

  async function load() {
    const { severity, service, page } = filters.value
    const [statsAnswer, answer] = await Promise.all([
      incidentsApi.stats(),
      incidentsApi.list({
        status: [...ACTIVE_STATUSES],
        severity: severity ? [severity] : undefined,
        service,
        sort: 'urgency',
        page: page ?? 1,
        page_size: PAGE_SIZE,
      }),
    ])
    stats.value = statsAnswer
    active.value = answer.items
    activeTotal.value = answer.total
    severityCounts.value = answer.severity_counts
  }

  const polling = usePolling(load, refreshMs)
  watch(filters, () => void polling.refresh(), { deep: true })

  const pages = computed(() => Math.max(1, Math.ceil(activeTotal.value / PAGE_SIZE)))

  /** Services to filter by: the noisiest ones, those with active incidents, and the one chosen. */
  const services = computed(() => {
    const names = new Set<string>()
    stats.value?.by_service.forEach((s) => names.add(s.service))
    active.value.forEach((i) => names.add(i.service))
    if (filters.value.service) names.add(filters.value.service)
    return [...names].sort()
  })

  return { stats, active, activeTotal, severityCounts, pages, services, ...polling }
}
