// Shapes of the platform's API as agreed in the API contract (and in each service's /docs/openapi.json).

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const
export type Severity = (typeof SEVERITIES)[number]

export const STATUSES = ['open', 'acknowledged', 'in_progress', 'resolved'] as const
export type Status = (typeof STATUSES)[number]

export interface Page<T> {
  items: T[]
  total: number
  page: number
  page_size: number
}

export interface Incident {
  id: string
  title: string
  description: string | null
  service: string
  severity: Severity
  status: Status
  team: string | null
  assigned_to: string | null
  assigned_email: string | null
  escalation_level: number
  alert_count: number
  created_at: string
  updated_at: string
  acknowledged_at: string | null
  in_progress_at: string | null
  resolved_at: string | null
  resolved_by: string | null
  mtta_seconds: number | null
  mttr_seconds: number | null
  allowed_transitions: Status[]
}

// Links and images an alert's source sent; the APIs keep only absolute http(s) addresses.
export interface AlertLink {
  href: string
  text: string
}

export interface AlertImage {
  src: string
  href?: string
  alt?: string
}

export interface IncidentAlert {
  id: string
  service: string
  severity: Severity
  message: string
  labels: Record<string, string>
  links: AlertLink[]
  images: AlertImage[]
  source: string
  status: 'firing' | 'resolved'
  timestamp: string
  received_at: string
  resolved_at: string | null
  correlation: string
  attached_at: string
}

export interface Note {
  id: string
  author: string
  content: string
  created_at: string
}

export interface TimelineEvent {
  id: number
  event_type: string
  actor: string | null
  detail: Record<string, unknown>
  created_at: string
}

export interface IncidentDetail extends Incident {
  links: AlertLink[]
  alerts: IncidentAlert[]
  notes: Note[]
  timeline: TimelineEvent[]
}

export interface IncidentFilters {
  status?: Status[]
  severity?: Severity
  service?: string
  page?: number
  page_size?: number
}

export interface ServiceStats {
  service: string
  incidents: number
  mtta_seconds_avg: number | null
  mttr_seconds_avg: number | null
}

export interface SeriesPoint {
  bucket_start: string
  incidents: number
  mtta_seconds_avg: number | null
  mttr_seconds_avg: number | null
}

export interface IncidentStats {
  since: string | null
  until: string
  bucket: 'hour' | 'day'
  counts: Record<Status, number>
  total: number
  mtta_seconds_avg: number | null
  mttr_seconds_avg: number | null
  by_service: ServiceStats[]
  by_severity: { severity: Severity; incidents: number }[]
  series: SeriesPoint[]
}

export interface StatsQuery {
  since?: string
  until?: string
  bucket?: 'hour' | 'day'
  service?: string
}

export type Role = 'primary' | 'secondary'

export interface Member {
  name: string
  email: string
  role: Role
}

export interface Schedule {
  id: string
  team: string
  rotation_type: 'weekly' | 'daily'
  members: Member[]
  timezone: string
  handoff_time: string
  rotation_start: string | null
  escalation_timeout_seconds: number
  created_at: string
  updated_at: string
}

export interface ScheduleCreate {
  team: string
  rotation_type: 'weekly' | 'daily'
  members: Member[]
  timezone?: string
  handoff_time?: string
  rotation_start?: string
  escalation_timeout_seconds?: number
}

export interface Person {
  name: string
  email: string
}

export interface OnCallNow {
  team: string
  primary: Person
  secondary: Person | null
  shift_start: string
  shift_end: string
  override: boolean
}

export interface Shift {
  start: string
  end: string
  primary: Person
  secondary: Person | null
}

export interface Shifts {
  team: string
  shifts: Shift[]
}

export interface Escalation {
  incident_id: string
  team: string
  level: number
  assigned_to: Person
}
