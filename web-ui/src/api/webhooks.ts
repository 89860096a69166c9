// Outgoing webhooks (incident management, routed by the gateway): subscriptions, their delivery log, a test event.
import { api } from './client'
import type {
  Page,
  WebhookDelivery,
  WebhookSubscription,
  WebhookSubscriptionChange,
  WebhookSubscriptionCreate,
  WebhookSubscriptionCreated,
} from './types'

const base = '/api/v1/webhook-subscriptions'
const one = (id: string) => `${base}/${encodeURIComponent(id)}`

export const webhooks = {
  list: (query: { page?: number; page_size?: number; team?: string } = {}) => api.get<Page<WebhookSubscription>>(base, query),
  create: (subscription: WebhookSubscriptionCreate) => api.post<WebhookSubscriptionCreated>(base, subscription),
  change: (id: string, change: WebhookSubscriptionChange) => api.patch<WebhookSubscription>(one(id), change),
  remove: (id: string) => api.delete<void>(one(id)),
  rotate: (id: string) => api.post<WebhookSubscriptionCreated>(`${one(id)}/rotate-secret`, {}),
  sendTest: (id: string) => api.post<WebhookDelivery>(`${one(id)}/test`, {}),
  deliveries: (id: string, query: { page?: number; page_size?: number } = {}) =>
    api.get<Page<WebhookDelivery>>(`${one(id)}/deliveries`, query),
}
