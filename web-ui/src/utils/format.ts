// Human-readable times and durations, without a date library (Intl does the locale work).
import type { Severity, Status } from '@/api/types'

/** "45s", "4m 12s", "3h 05m", "2d 4h": the two largest units, for MTTA/MTTR and ages. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—'
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return `${s}s`
  const minutes = Math.floor(s / 60)
  if (minutes < 60) return `${minutes}m ${String(s % 60).padStart(2, '0')}s`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`
  const days = Math.floor(hours / 24)
  return `${days}d ${hours % 24}h`
}

/** Age of a timestamp relative to `now` ("4m 12s"), for tables that tick. */
export function formatAge(iso: string | null | undefined, now: number): string {
  if (!iso) return '—'
  return formatDuration((now - Date.parse(iso)) / 1000)
}

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
})
const shortDateTime = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
})

/** Local date and time with seconds, for timelines. */
export function formatTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—'
}

/** "Mon, Nov 24, 09:00", for shift boundaries. */
export function formatShortTime(iso: string | null | undefined): string {
  return iso ? shortDateTime.format(new Date(iso)) : '—'
}

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 }

export const STATUS_LABEL: Record<Status, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  in_progress: 'In progress',
  resolved: 'Resolved',
}
