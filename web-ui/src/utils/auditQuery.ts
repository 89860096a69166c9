// The audit page's filters as the API's query: empty fields dropped, local date-times as ISO instants.
import type { AuditQuery } from '@/api/types'
import { fromLocalInput } from './format'

export interface AuditFilters {
  actor: string
  action: '' | 'create' | 'update' | 'delete'
  record_type: string
  record_id: string
  since: string // <input type="datetime-local">: in the viewer's zone
  until: string
}

export const noAuditFilters = (): AuditFilters => ({
  actor: '',
  action: '',
  record_type: '',
  record_id: '',
  since: '',
  until: '',
})

export function auditQuery(filters: AuditFilters, page: number, pageSize = 25): AuditQuery {
  const query: AuditQuery = { page, page_size: pageSize }
  for (const key of ['actor', 'record_type', 'record_id'] as const) {
    const value = filters[key].trim()
    if (value) query[key] = value
  }
  if (filters.action) query.action = filters.action
  const since = fromLocalInput(filters.since)
  const until = fromLocalInput(filters.until)
  if (since) query.since = since
  if (until) query.until = until
  return query
}

/** The fields an update changed: [field, before, after] (for creates and deletes: every field). */
export function changedFields(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): [string, unknown, unknown][] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])
  const out: [string, unknown, unknown][] = []
  for (const key of [...keys].sort()) {
    const was = before?.[key]
    const now = after?.[key]
    if (JSON.stringify(was) !== JSON.stringify(now)) out.push([key, was, now])
  }
  return out
}
