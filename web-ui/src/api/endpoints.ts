// One function per API call the SPA makes; paths are the gateway's (see web-ui/nginx/default.conf.template).
import { api } from './client'
import type {
  Chain,
  Escalation,
  GroupingRule,
  GroupingRulePut,
  Incident,
  IncidentPage,
  IncidentCreate,
  IncidentDetail,
  IncidentFilters,
  IncidentStats,
  MaintenanceWindow,
  MaintenanceWindowCreate,
  MoveResult,
  Note,
  CalendarFeedCreated,
  ContactMethod,
  NotificationRule,
  NotificationRuleList,
  OnCallNow,
  Override,
  OverrideCreate,
  Page,
  Policy,
  PolicyCreate,
  Schedule,
  ScheduleCreate,
  Shifts,
  StatsQuery,
  Status,
  Swap,
  SwapOffer,
} from './types'

export const incidents = {
  list: (filters: IncidentFilters = {}) => api.get<IncidentPage>('/api/v1/incidents', { ...filters }),
  get: (id: string) => api.get<IncidentDetail>(`/api/v1/incidents/${encodeURIComponent(id)}`),
  setStatus: (id: string, status: Status, actor: string) =>
    api.patch<Incident>(`/api/v1/incidents/${encodeURIComponent(id)}`, { status, actor }),
  reassign: (id: string, person: { name: string; email?: string }, actor: string) =>
    api.patch<Incident>(`/api/v1/incidents/${encodeURIComponent(id)}`, {
      assigned_to: person.name,
      assigned_email: person.email || undefined,
      actor,
    }),
  create: (incident: IncidentCreate) => api.post<Incident>('/api/v1/incidents', incident),
  addNote: (id: string, author: string, content: string) =>
    api.post<Note>(`/api/v1/incidents/${encodeURIComponent(id)}/notes`, { author, content }),
  stats: (query: StatsQuery = {}) => api.get<IncidentStats>('/api/v1/incidents/stats', { ...query }),
  /** Move an alert to another incident (its id), or split it into a new one ('new'). */
  moveAlert: (id: string, alertId: string, to: string, actor: string) =>
    api.post<MoveResult>(
      `/api/v1/incidents/${encodeURIComponent(id)}/alerts/${encodeURIComponent(alertId)}/move`,
      { to, actor },
    ),
  merge: (id: string, into: string, actor: string) =>
    api.post<MoveResult>(`/api/v1/incidents/${encodeURIComponent(id)}/merge`, { into, actor }),
}

export const groupingRules = {
  list: () => api.get<GroupingRule[]>('/api/v1/grouping-rules'),
  put: (service: string, rule: GroupingRulePut) =>
    api.put<GroupingRule>(`/api/v1/grouping-rules/${encodeURIComponent(service)}`, rule),
  remove: (service: string) => api.delete<void>(`/api/v1/grouping-rules/${encodeURIComponent(service)}`),
}

export const maintenance = {
  list: () => api.get<Page<MaintenanceWindow>>('/api/v1/maintenance-windows', { page_size: 100 }),
  create: (window: MaintenanceWindowCreate) => api.post<MaintenanceWindow>('/api/v1/maintenance-windows', window),
  end: (id: string) =>
    api.patch<MaintenanceWindow>(`/api/v1/maintenance-windows/${encodeURIComponent(id)}`, {
      ends_at: new Date().toISOString(),
    }),
  remove: (id: string) => api.delete<void>(`/api/v1/maintenance-windows/${encodeURIComponent(id)}`),
}

export const oncall = {
  schedules: () => api.get<Page<Schedule>>('/api/v1/schedules', { page_size: 200 }),
  createSchedule: (schedule: ScheduleCreate) => api.post<Schedule>('/api/v1/schedules', schedule),
  current: (team: string) => api.get<OnCallNow>('/api/v1/oncall/current', { team }),
  shifts: (team: string, until?: string) => api.get<Shifts>('/api/v1/oncall/shifts', { team, until }),
  chain: (team: string) => api.get<Chain>('/api/v1/oncall/chain', { team }),
  escalate: (incidentId: string, actor: string, reason?: string) =>
    api.post<Escalation>('/api/v1/escalate', { incident_id: incidentId, actor, reason }),
  addOverride: (scheduleId: string, override: OverrideCreate) =>
    api.post<Override>(`/api/v1/schedules/${encodeURIComponent(scheduleId)}/overrides`, override),
  swaps: (scheduleId: string) =>
    api.get<Page<Swap>>(`/api/v1/schedules/${encodeURIComponent(scheduleId)}/swaps`, {
      status: 'open',
      ending_after: new Date().toISOString(),
    }),
  offerSwap: (scheduleId: string, offer: SwapOffer) =>
    api.post<Swap>(`/api/v1/schedules/${encodeURIComponent(scheduleId)}/swaps`, offer),
  takeSwap: (scheduleId: string, swapId: string, person: { name?: string; email?: string }) =>
    api.post<Swap>(
      `/api/v1/schedules/${encodeURIComponent(scheduleId)}/swaps/${encodeURIComponent(swapId)}/take`,
      person,
    ),
  withdrawSwap: (scheduleId: string, swapId: string) =>
    api.delete<Swap>(`/api/v1/schedules/${encodeURIComponent(scheduleId)}/swaps/${encodeURIComponent(swapId)}`),
  scheduleFeed: (scheduleId: string) =>
    api.post<CalendarFeedCreated>(`/api/v1/schedules/${encodeURIComponent(scheduleId)}/calendar-feeds`, {}),
}

export const policies = {
  list: (team?: string) => api.get<Page<Policy>>('/api/v1/escalation-policies', { team, page_size: 200 }),
  create: (policy: PolicyCreate) => api.post<Policy>('/api/v1/escalation-policies', policy),
  update: (id: string, policy: PolicyCreate) =>
    api.put<Policy>(`/api/v1/escalation-policies/${encodeURIComponent(id)}`, policy),
}

const userPath = (userId: string) => `/api/v1/users/${encodeURIComponent(userId)}`

export const notificationRules = {
  contactMethods: (userId: string) =>
    api.get<Page<ContactMethod>>(`${userPath(userId)}/contact-methods`, { page_size: 200 }),
  list: (userId: string) => api.get<NotificationRuleList>(`${userPath(userId)}/notification-rules`),
  add: (userId: string, rule: { contact_method_id: string; delay_seconds: number }) =>
    api.post<NotificationRule>(`${userPath(userId)}/notification-rules`, rule),
  calendarFeed: (userId: string) => api.post<CalendarFeedCreated>(`${userPath(userId)}/calendar-feeds`, {}),
  remove: (userId: string, ruleId: string) =>
    api.delete<null>(`${userPath(userId)}/notification-rules/${encodeURIComponent(ruleId)}`),
}

export interface SessionUser {
  id: string
  name: string
  email: string
  role: 'viewer' | 'responder' | 'admin'
  timezone: string
}

export interface Principal {
  kind: 'user' | 'token' | 'key' | 'service' | 'anonymous'
  id: string | null
  name: string
  email: string | null
  role: string
}

export interface SignedIn {
  user: SessionUser
  csrf_token: string
  expires_at: string
}

export interface Me {
  principal: Principal
  user: SessionUser | null
  csrf_token: string | null
}

export const users = {
  list: () => api.get<Page<SessionUser>>('/api/v1/users', { page_size: 200, active: 'true' }),
}

export const auth = {
  login: (email: string, password: string) => api.post<SignedIn>('/api/v1/auth/login', { email, password }),
  logout: () => api.post<null>('/api/v1/auth/logout', {}),
  me: () => api.get<Me>('/api/v1/auth/me'),
}

export interface UiConfig {
  grafana_url: string
}

export const uiConfig = {
  get: () => api.get<UiConfig>('/ui-config.json'),
}
