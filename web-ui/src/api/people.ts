// API calls of people and access: the signed-in user's profile, contact methods and tokens (on-call
// service), the admin's users, teams, integration keys (ingestion) and audit trails, a person's deliveries.
import { api } from './client'
import type {
  ApiToken,
  ApiTokenCreate,
  ApiTokenCreated,
  AuditEvent,
  AuditQuery,
  CodeSent,
  ContactMethod,
  ContactMethodCreate,
  Delivery,
  IntegrationKey,
  IntegrationKeyCreate,
  IntegrationKeyCreated,
  Notification,
  Page,
  Team,
  TeamCreate,
  User,
  UserCreate,
  UserPatch,
} from './types'

const id = encodeURIComponent
const methodPath = (userId: string, methodId: string) =>
  `/api/v1/users/${id(userId)}/contact-methods/${id(methodId)}`

export const users = {
  list: (query: { page?: number; page_size?: number; search?: string; role?: string; active?: string } = {}) =>
    api.get<Page<User>>('/api/v1/users', query),
  create: (user: UserCreate) => api.post<User>('/api/v1/users', user),
  change: (userId: string, changes: UserPatch) => api.patch<User>(`/api/v1/users/${id(userId)}`, changes),
  deactivate: (userId: string) => api.delete<User>(`/api/v1/users/${id(userId)}`),
  byEmail: (email: string) => api.get<Page<User>>('/api/v1/users', { email, page_size: 1 }),
  changePassword: (current: string, next: string) =>
    api.post<null>('/api/v1/auth/password', { current_password: current, new_password: next }),
}

export const contactMethods = {
  list: (userId: string) =>
    api.get<Page<ContactMethod>>(`/api/v1/users/${id(userId)}/contact-methods`, { page_size: 100 }),
  add: (userId: string, method: ContactMethodCreate) =>
    api.post<ContactMethod>(`/api/v1/users/${id(userId)}/contact-methods`, method),
  remove: (userId: string, methodId: string) => api.delete<null>(methodPath(userId, methodId)),
  test: (userId: string, methodId: string) => api.post<Delivery>(`${methodPath(userId, methodId)}/test`, {}),
  sendCode: (userId: string, methodId: string) =>
    api.post<CodeSent>(`${methodPath(userId, methodId)}/verification`, {}),
  confirm: (userId: string, methodId: string, code: string) =>
    api.post<ContactMethod>(`${methodPath(userId, methodId)}/verification/confirm`, { code }),
}

export const tokens = {
  /** A user's own tokens (the admin's list would be everyone's without user_id). */
  list: (userId: string) => api.get<Page<ApiToken>>('/api/v1/tokens', { user_id: userId, page_size: 100 }),
  create: (token: ApiTokenCreate) => api.post<ApiTokenCreated>('/api/v1/tokens', token),
  revoke: (tokenId: string) => api.delete<ApiToken>(`/api/v1/tokens/${id(tokenId)}`),
}

export const teams = {
  list: (query: { page?: number; page_size?: number } = {}) => api.get<Page<Team>>('/api/v1/teams', query),
  create: (team: TeamCreate) => api.post<Team>('/api/v1/teams', team),
  setMembers: (teamId: string, members: string[]) => api.patch<Team>(`/api/v1/teams/${id(teamId)}`, { members }),
}

export const integrationKeys = {
  list: (query: { page?: number; page_size?: number; revoked?: string } = {}) =>
    api.get<Page<IntegrationKey>>('/api/v1/integration-keys', query),
  create: (key: IntegrationKeyCreate) => api.post<IntegrationKeyCreated>('/api/v1/integration-keys', key),
  revoke: (keyId: string) => api.post<IntegrationKey>(`/api/v1/integration-keys/${id(keyId)}/revoke`, {}),
}

/** The three audit trails, one per service that keeps records. */
export const AUDIT_AREAS = ['incidents', 'oncall', 'ingestion'] as const
export type AuditArea = (typeof AUDIT_AREAS)[number]

export const audit = {
  list: (area: AuditArea, query: AuditQuery = {}) => api.get<Page<AuditEvent>>(`/api/v1/audit/${area}`, { ...query }),
}

export const deliveries = {
  /** Deliveries to a person (by their e-mail, as the notification service records it), newest first. */
  toPerson: (email: string, pageSize = 20) =>
    api.get<Page<Notification>>('/api/v1/notifications', { person: email, page_size: pageSize }),
}
