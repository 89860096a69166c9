// The dashboard's data: status counts and mean MTTA/MTTR (stats API), and one page of the active incidents
// as the server orders them (most severe first, then newest) with their counts per severity, so a storm of
// low alerts never pushes a critical off the first screen. Counts are for all incidents; filters narrow the list.
import { computed, ref, watch, type Ref } from 'vue'
import { incidents as incidentsApi } from '@/api/endpoints'
import { SEVERITIES, type Incident, type IncidentStats, type Severity, type SeverityCounts } from '@/api/types'
import { coalesce, useLive } from './useLive'
import { usePolling } from './usePolling'

export const ACTIVE_STATUSES = ['open', 'acknowledged', 'in_progress'] as const
export const PAGE_SIZE = 50
export const REFRESH_MS = 10000
export const LIVE_LIST_MS = 250
export const LIVE_STATS_MS = 5000

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

  // The list and the stats load side by side and each shows as soon as it is in. The all-time stats aggregate
  // the whole history (hundreds of ms at 100k incidents), so they refresh on their own slower beat: a live
  // change reloads the list within a quarter second, the stats at most every few seconds.
  async function loadList() {
    const { severity, service, page } = filters.value
    const answer = await incidentsApi.list({
      status: [...ACTIVE_STATUSES],
      severity: severity ? [severity] : undefined,
      service,
      sort: 'urgency',
      page: page ?? 1,
      page_size: PAGE_SIZE,
    })
    active.value = answer.items
    activeTotal.value = answer.total
    severityCounts.value = answer.severity_counts
  }
  async function loadStats() {
    stats.value = await incidentsApi.stats()
  }

  const list = usePolling(loadList, refreshMs)
  const totals = usePolling(loadStats, refreshMs)
  async function refresh() {
    await Promise.all([list.refresh(), totals.refresh()])
  }
  watch(filters, () => void list.refresh(), { deep: true })
  useLive(coalesce(() => void list.refresh(), 50, LIVE_LIST_MS))
  useLive(coalesce(() => void totals.refresh(), 100, LIVE_STATS_MS))
  const loading = computed(() => list.loading.value || totals.loading.value)
  const error = computed(() => list.error.value ?? totals.error.value)

  const pages = computed(() => Math.max(1, Math.ceil(activeTotal.value / PAGE_SIZE)))

  /** Services to filter by: the noisiest ones, those with active incidents, and the one chosen. */
  const services = computed(() => {
    const names = new Set<string>()
    stats.value?.by_service.forEach((s) => names.add(s.service))
    active.value.forEach((i) => names.add(i.service))
    if (filters.value.service) names.add(filters.value.service)
    return [...names].sort()
  })

  return {
    stats,
    active,
    activeTotal,
    severityCounts,
    pages,
    services,
    loading,
    error,
    lastUpdated: list.lastUpdated,
    refresh,
    ready: Promise.all([list.ready, totals.ready]).then(() => undefined),
  }
}
