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

// Every time carries its zone: the viewer's (the browser's) unless another is named.
const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
})
const shortFormats = new Map<string, Intl.DateTimeFormat>()

function shortFormat(timeZone?: string): Intl.DateTimeFormat {
  const key = timeZone ?? ''
  let format = shortFormats.get(key)
  if (!format) {
    const options: Intl.DateTimeFormatOptions = {
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    }
    try {
      format = new Intl.DateTimeFormat(undefined, timeZone ? { ...options, timeZone } : options)
    } catch {
      format = new Intl.DateTimeFormat(undefined, options) // a zone this browser does not know
    }
    shortFormats.set(key, format)
  }
  return format
}

/** The viewer's time zone, e.g. "Europe/Berlin". */
export const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone

/** Local date and time with seconds and zone, for timelines. */
export function formatTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—'
}

/** "Mon, Nov 24, 09:00 CET", for shift boundaries; in `timeZone` when given. */
export function formatShortTime(iso: string | null | undefined, timeZone?: string): string {
  return iso ? shortFormat(timeZone).format(new Date(iso)) : '—'
}

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 }

export const STATUS_LABEL: Record<Status, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  in_progress: 'In progress',
  resolved: 'Resolved',
}
