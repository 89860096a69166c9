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

// <input type="datetime-local"> holds a wall-clock time with no zone: the viewer's zone (their profile's) is
// the one meant, whatever the browser's is. The address and the API keep instants (ISO, UTC).
function wallClock(ms: number, zone: string): number {
  const parts = cached('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
}

/** "2026-12-03T14:05" in `zone` (default: the viewer's) for an instant; '' for none. */
export function toLocalInput(iso: string | null | undefined, zone?: string): string {
  if (!iso) return ''
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return ''
  return new Date(wallClock(ms, zoneOrViewer(zone))).toISOString().slice(0, 16)
}

/** The instant (ISO, UTC) of a wall-clock "2026-12-03T14:05" in `zone` (default: the viewer's). */
export function fromLocalInput(value: string, zone?: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim())
  if (!match) return undefined
  const [year, month, day, hour, minute, second] = match.slice(1).map((n) => Number(n ?? 0))
  const asUtc = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!)
  const timeZone = zoneOrViewer(zone)
  // The zone's offset at that moment, found twice: once near it, once at the answer (a DST change between).
  let instant = asUtc - (wallClock(asUtc, timeZone) - asUtc)
  instant = asUtc - (wallClock(instant, timeZone) - instant)
  return new Date(instant).toISOString()
}

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 }

export const STATUS_LABEL: Record<Status, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  in_progress: 'In progress',
  resolved: 'Resolved',
}
