// Incident statistics over a chosen range, for the metrics page's charts.
import { ref, watch, type Ref } from 'vue'
import { incidents as incidentsApi } from '@/api/endpoints'
import type { IncidentStats } from '@/api/types'
import { usePolling } from './usePolling'

export interface Range {
  key: string
  label: string
  hours: number
  bucket: 'hour' | 'day'
}

export const RANGES: Range[] = [
  { key: '24h', label: 'Last 24 hours', hours: 24, bucket: 'hour' },
  { key: '7d', label: 'Last 7 days', hours: 24 * 7, bucket: 'day' },
  { key: '30d', label: 'Last 30 days', hours: 24 * 30, bucket: 'day' },
]
export const REFRESH_MS = 60000

/** Start of the range: whole hours or days, so buckets line up with the server's. */
export function rangeStart(range: Range, now: Date): Date {
  const start = new Date(now.getTime() - range.hours * 3600 * 1000)
  if (range.bucket === 'day') start.setUTCHours(0, 0, 0, 0)
  else start.setUTCMinutes(0, 0, 0)
  if (range.bucket === 'day') start.setUTCDate(start.getUTCDate() + 1)
  else start.setUTCHours(start.getUTCHours() + 1)
  return start
}

export function useStats(range: Ref<Range>, refreshMs = REFRESH_MS) {
  const stats = ref<IncidentStats | null>(null)

  async function load() {
    const since = rangeStart(range.value, new Date()).toISOString()
    stats.value = await incidentsApi.stats({ since, bucket: range.value.bucket })
  }

  const polling = usePolling(load, refreshMs)
  watch(range, () => void polling.refresh())
  return { stats, ...polling }
}
