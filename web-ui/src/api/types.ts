// Shapes of the platform's API, generated from each service's OpenAPI document (`make api-client`):
// src/api/generated/<service>.ts by openapi-typescript, the enumerations from servicekit/enums.py.
// Nothing here is written by hand but the names the app uses for them.
import type { components as AlertApi } from './generated/alert_ingestion'
import type { components as IncidentApi, paths as IncidentPaths } from './generated/incident_management'
import type { components as NotificationApi } from './generated/notification_service'
import type { components as OncallApi, paths as OncallPaths } from './generated/oncall_service'
import type { Severity, Status } from './generated/enums'

export * from './generated/enums'

/**
 * A body as a service sends it: the documents list response fields as optional (marshmallow does not mark
 * dumped fields required), but every field is present in an answer, null where allowed.
 */
export type Dumped<T> = T extends (infer U)[]
  ? Dumped<U>[]
  : T extends object
    ? { [K in keyof T]-?: Dumped<Exclude<T[K], undefined>> }
    : T

type Incidents = IncidentApi['schemas']
type Oncall = OncallApi['schemas']

export interface Page<T> {
  items: T[]
  total: number
  page: number
  page_size: number
}

export type Incident = Dumped<Incidents['Incident']>
export type IncidentPage = Dumped<Incidents['IncidentPage']>
export type SeverityCounts = Dumped<Incidents['SeverityCounts']>
export type AlertLink = Dumped<Incidents['Link']>
export type AlertImage = Incidents['Image'] & { src: string }
export type IncidentAlert = Omit<Dumped<Incidents['IncidentAlert']>, 'labels' | 'images'> & {
  labels: Record<string, unknown>
  images: AlertImage[]
}
export type Note = Dumped<Incidents['Note']>
export type TimelineEvent = Omit<Dumped<Incidents['TimelineEvent']>, 'detail'> & { detail: Record<string, unknown> }
export type IncidentDetail = Omit<Dumped<Incidents['IncidentDetail']>, 'alerts' | 'timeline' | 'images'> & {
  alerts: IncidentAlert[]
  timeline: TimelineEvent[]
}
export type IncidentCreate = Incidents['IncidentCreate']
export type GroupingRule = Dumped<Incidents['GroupingRule']>
export type GroupingRulePut = Incidents['GroupingRulePut']
export type MoveResult = Dumped<Incidents['MoveResult']>
export type WebhookSubscription = Dumped<Incidents['WebhookSubscription']>
export type WebhookSubscriptionCreated = Dumped<Incidents['WebhookSubscriptionSecret']>
export type WebhookSubscriptionCreate = Incidents['WebhookSubscriptionCreate']
export type WebhookSubscriptionChange = Incidents['WebhookSubscriptionChange']
export type WebhookDelivery = Dumped<Incidents['WebhookDelivery']>
export type IncidentFilters = NonNullable<IncidentPaths['/api/v1/incidents']['get']['parameters']['query']>
export type IncidentSort = NonNullable<IncidentFilters['sort']>

export type ServiceStats = Dumped<Incidents['ServiceStats']>
export type SeriesPoint = Dumped<Incidents['SeriesPoint']>
export type IncidentStats = Omit<Dumped<Incidents['Stats']>, 'counts' | 'bucket' | 'by_severity'> & {
  bucket: 'hour' | 'day'
  counts: Record<Status, number>
  by_severity: { severity: Severity; incidents: number }[]
}
export type StatsQuery = NonNullable<IncidentPaths['/api/v1/incidents/stats']['get']['parameters']['query']>

export type Member = Oncall['Member']
export type Person = Dumped<Oncall['Person']>
export type Schedule = Omit<Dumped<Oncall['Schedule']>, 'members' | 'rotation_type' | 'rotation_start' | 'handoff_time'> & {
  members: Member[]
  rotation_type: 'weekly' | 'daily'
  rotation_start: string | null
  handoff_time: string
}
export type ScheduleCreate = Oncall['ScheduleCreate']
export type OnCallNow = Omit<Dumped<Oncall['Current']>, 'secondary'> & { secondary: Person | null }
export type Shift = Omit<Dumped<Oncall['Shift']>, 'secondary'> & { secondary: Person | null }
export type Shifts = Omit<Dumped<Oncall['Shifts']>, 'shifts'> & { shifts: Shift[] }
export type Escalation = Dumped<Oncall['EscalationResult']>
export type ChainStep = Dumped<Oncall['ChainStep']>
export type Chain = Omit<Dumped<Oncall['Chain']>, 'steps'> & { steps: ChainStep[] }

export type PolicyTarget = Oncall['Target']
export type PolicyStep = { delay_seconds: number; targets: PolicyTarget[] }
export type Policy = Omit<Dumped<Oncall['Policy']>, 'steps' | 'working_hours'> & {
  steps: PolicyStep[]
  working_hours: Oncall['WorkingHours'] | null
}
export type PolicyCreate = Oncall['PolicyCreate']
export type Override = Dumped<Oncall['Override']>
export type OverrideCreate = Oncall['OverrideCreate']
export type Swap = Dumped<Oncall['Swap']>
export type SwapOffer = Oncall['SwapOffer']
export type ContactMethod = Dumped<Oncall['ContactMethod']>
export type NotificationRule = Dumped<Oncall['NotificationRule']>
export type NotificationRuleList = Dumped<Oncall['NotificationRuleList']>
export type CalendarFeedCreated = Dumped<Oncall['CalendarFeedCreated']>

export type Alert = Dumped<AlertApi['schemas']['Alert']>
export type MaintenanceWindow = Dumped<AlertApi['schemas']['MaintenanceWindow']>
export type MaintenanceWindowCreate = AlertApi['schemas']['MaintenanceWindowCreate']

// People and access (on-call service), integration keys (ingestion), the audit trails, deliveries.
export type User = Dumped<Oncall['User']>
export type UserCreate = Oncall['UserCreate']
export type UserPatch = Oncall['UserPatch']
export type ContactMethodCreate = Oncall['ContactMethodCreate']
export type Delivery = Dumped<Oncall['Delivery']>
export type CodeSent = Dumped<Oncall['CodeSent']>
export type ApiToken = Dumped<Oncall['Token']>
export type ApiTokenCreated = Dumped<Oncall['TokenCreated']>
export type ApiTokenCreate = Oncall['TokenCreate']
export type Team = Dumped<Oncall['Team']>
export type TeamMember = Dumped<Oncall['TeamMember']>
export type TeamCreate = Oncall['TeamCreate']
export type IntegrationKey = Dumped<AlertApi['schemas']['IntegrationKey']>
export type IntegrationKeyCreated = Dumped<AlertApi['schemas']['IntegrationKeyCreated']>
export type IntegrationKeyCreate = AlertApi['schemas']['IntegrationKeyCreate']
export type AuditEvent = Omit<Dumped<Oncall['AuditEvent']>, 'before' | 'after'> & {
  before: Record<string, unknown> | null
  after: Record<string, unknown> | null
}
export type AuditQuery = NonNullable<OncallPaths['/api/v1/audit/oncall']['get']['parameters']['query']>
export type Notification = Dumped<NotificationApi['schemas']['Notification']>
