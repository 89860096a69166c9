// <input type="datetime-local"> speaks the viewer's wall-clock time without a zone; the API wants instants.

/** "2026-12-24T18:00" (the viewer's zone) -> an ISO instant, or null when empty or not a time. */
export function instantOfLocal(value: string): string | null {
  if (!value) return null
  const moment = new Date(value)
  return Number.isNaN(moment.getTime()) ? null : moment.toISOString()
}

/** An instant -> "2026-12-24T18:00" in the viewer's zone, for a datetime-local input's value. */
export function localOfInstant(moment: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}T${pad(moment.getHours())}:${pad(moment.getMinutes())}`
}
