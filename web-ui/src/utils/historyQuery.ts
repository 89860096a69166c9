// The history page's query as it is kept in the address (shareable, survives a reload) and as the API takes it.
import { SEVERITIES, STATUSES, type IncidentFilters, type IncidentSort, type Severity, type Status } from '@/api/types'

export const SORTS: { value: IncidentSort; label: string }[] = [
  { value: 'newest', label: 'Newest first' },
  { value: 'oldest', label: 'Oldest first' },
  { value: 'urgency', label: 'Most severe first' },
  { value: 'updated', label: 'Recently changed' },
]
export const HISTORY_PAGE_SIZE = 25

export interface HistoryQuery {
  q?: string
  status?: Status[]
  severity?: Severity[]
  service?: string
  team?: string
  assignee?: string
  since?: string
  until?: string
  sort?: IncidentSort
  page?: number
}

type RouteQuery = Record<string, string | null | (string | null)[] | undefined>

function text(value: RouteQuery[string]): string | undefined {
  const first = Array.isArray(value) ? value[0] : value
  return first ? first.trim() || undefined : undefined
}

function list<T extends string>(value: RouteQuery[string], allowed: readonly T[]): T[] | undefined {
  const items = (text(value) ?? '').split(',').filter((v): v is T => allowed.includes(v as T))
  return items.length ? items : undefined
}

function time(value: RouteQuery[string]): string | undefined {
  const raw = text(value)
  return raw && !Number.isNaN(Date.parse(raw)) ? raw : undefined
}

/** What the address says, with anything unknown dropped. */
export function fromRoute(query: RouteQuery): HistoryQuery {
  const sort = text(query.sort) as IncidentSort | undefined
  const page = Number(text(query.page))
  return {
    q: text(query.q),
    status: list(query.status, STATUSES),
    severity: list(query.severity, SEVERITIES),
    service: text(query.service),
    team: text(query.team),
    assignee: text(query.assignee),
    since: time(query.since),
    until: time(query.until),
    sort: SORTS.some((s) => s.value === sort) ? sort : undefined,
    page: Number.isInteger(page) && page > 1 ? page : undefined,
  }
}

/** The address for a query: only what is set, lists comma separated. */
export function toRoute(query: HistoryQuery): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '' || (Array.isArray(value) && !value.length)) continue
    out[key] = Array.isArray(value) ? value.join(',') : String(value)
  }
  return out
}

/** The API's parameters for a query. */
export function toFilters(query: HistoryQuery): IncidentFilters {
  return {
    q: query.q,
    status: query.status,
    severity: query.severity,
    service: query.service,
    team: query.team,
    assigned_to: query.assignee,
    since: query.since,
    until: query.until,
    sort: query.sort ?? 'newest',
    page: query.page ?? 1,
    page_size: HISTORY_PAGE_SIZE,
  }
}

// Time inputs are in the viewer's zone (utils/format.ts converts them).
export { fromLocalInput, toLocalInput } from './format'
