// What a timeline event says, in words, from its type and detail.
import type { TimelineEvent } from '@/api/types'
import { formatDuration } from './format'

type Describe = (detail: Record<string, any>) => string

const DESCRIPTIONS: Record<string, Describe> = {
  created: () => 'Incident opened',
  alert_attached: (d) => (d.alert_id ? `Alert attached (${String(d.alert_id).slice(0, 8)})` : 'Alert attached'),
  assigned: (d) => (d.assigned_to ? `Assigned to ${d.assigned_to}` : 'Assigned'),
  notified: (d) => `Notified ${d.recipient ?? d.assigned_to ?? 'the on-call engineer'}${d.channel ? ` via ${d.channel}` : ''}`,
  acknowledged: (d) => `Acknowledged${d.mtta_seconds != null ? ` after ${formatDuration(d.mtta_seconds)}` : ''}`,
  in_progress: () => 'Work started',
  escalated: (d) =>
    `Escalated${d.level != null ? ` to level ${d.level}` : ''}${d.assigned_to ? ` (${personName(d.assigned_to)})` : ''}`,
  note_added: () => 'Note added',
  resolved: (d) => `Resolved${d.mttr_seconds != null ? ` after ${formatDuration(d.mttr_seconds)}` : ''}`,
  alert_resolved: () => 'Alert resolved at its source',
  alert_moved_in: (d) => `Alert moved in from incident ${short(d.incident_id)}${d.message ? `: ${d.message}` : ''}`,
  alert_moved_out: (d) => `Alert moved to incident ${short(d.incident_id)}${d.message ? `: ${d.message}` : ''}`,
  merged_into: (d) => `Merged into incident ${short(d.incident_id)} (${d.alerts ?? 0} alerts moved)`,
  merged_from: (d) => `Incident ${short(d.incident_id)} merged in (${d.alerts ?? 0} alerts)`,
  paging_failed: (d) => `Paging failed${d.reason ? `: ${d.reason}` : d.error ? `: ${d.error}` : ''}`,
}

function short(id: unknown): string {
  return String(id ?? '').slice(0, 8)
}

function personName(value: unknown): string {
  if (value && typeof value === 'object' && 'name' in value) return String((value as { name: unknown }).name)
  return String(value)
}

export function describeEvent(event: TimelineEvent): string {
  const describe = DESCRIPTIONS[event.event_type]
  return describe ? describe(event.detail ?? {}) : event.event_type.replace(/_/g, ' ')
}

/** Events worth a colour: the lifecycle steps and failures. */
export function eventTone(type: string): string {
  if (type === 'paging_failed' || type === 'escalated') return 'bad'
  if (type === 'resolved' || type === 'alert_resolved') return 'good'
  if (type === 'acknowledged' || type === 'in_progress') return 'step'
  return ''
}
