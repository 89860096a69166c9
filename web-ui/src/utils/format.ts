// Human-readable times and durations, without a date library (Intl does the locale work).
import { shallowRef } from 'vue'
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

// Every time carries its zone, named: the viewer's (from their profile once signed in, else the browser's),
// or another one given (a schedule's own). Intl does the locale work; the zone's name is an abbreviation
// ("CET", "EST") where one is known, else its offset ("GMT+5:30").
const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'

/** The viewer's time zone, e.g. "Europe/Berlin"; reactive, so pages re-render when the profile changes it. */
export const viewerZone = shallowRef(browserZone)

/** Show times in `zone` from now on (an unknown one leaves the current zone). */
export function setViewerZone(zone: string | null | undefined) {
  viewerZone.value = zone && knownZone(zone) ? zone : browserZone
}

function knownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone })
    return true
  } catch {
    return false
  }
}

const formats = new Map<string, Intl.DateTimeFormat>()

function cached(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`
  let format = formats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options)
    formats.set(key, format)
  }
  return format
}

function zoneOrViewer(zone?: string): string {
  return zone && knownZone(zone) ? zone : viewerZone.value
}

/** The zone's short name at that moment: "CET"/"CEST", "EST", "UTC", else an offset like "GMT+5:30". */
export function zoneName(date: Date, zone?: string): string {
  const timeZone = zoneOrViewer(zone)
  let fallback = ''
  for (const locale of [undefined, 'en-US', 'en-GB']) {
    const part = cached(locale, { timeZone, timeZoneName: 'short' })
      .formatToParts(date)
      .find((p) => p.type === 'timeZoneName')?.value
    if (!part) continue
    if (!/^(GMT|UTC)[+-]/.test(part)) return part
    fallback ||= part
  }
  return fallback || timeZone
}

type Style = 'full' | 'short' | 'clock'
const STYLES: Record<Style, Intl.DateTimeFormatOptions> = {
  full: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' },
  short: { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  clock: { hour: '2-digit', minute: '2-digit' },
}

/** A time in `zone` (default: the viewer's) with the zone named: the one formatting helper of the app. */
export function formatIn(iso: string | null | undefined, style: Style = 'full', zone?: string): string {
  if (!iso) return '—'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return '—'
  const timeZone = zoneOrViewer(zone)
  return `${cached(undefined, { ...STYLES[style], timeZone }).format(date)} ${zoneName(date, timeZone)}`
}

/** Date and time with seconds and zone, for timelines and lists: "Dec 3, 2026, 14:05:07 CET". */
export function formatTime(iso: string | null | undefined, zone?: string): string {
  return formatIn(iso, 'full', zone)
}

/** "Mon, Nov 24, 09:00 CET", for shift boundaries; in `timeZone` when given. */
export function formatShortTime(iso: string | null | undefined, timeZone?: string): string {
  return formatIn(iso, 'short', timeZone)
}

/** "14:05 CET". */
export function formatClock(iso: string | null | undefined, zone?: string): string {
  return formatIn(iso, 'clock', zone)
}

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 }

export const STATUS_LABEL: Record<Status, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  in_progress: 'In progress',
  resolved: 'Resolved',
}
