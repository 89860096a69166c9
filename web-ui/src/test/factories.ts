// Builders of API objects for unit tests: a valid default, overridden where a test cares.
import type { Incident, IncidentDetail, IncidentStats, Status } from '@/api/types'

const STATUSES: Status[] = ['open', 'acknowledged', 'in_progress', 'resolved']

export function makeIncident(overrides: Partial<Incident> = {}): Incident {
  const status = overrides.status ?? 'open'
  return {
    id: '6f1c2b9e-0000-4000-8000-000000000001',
    title: 'checkout: p99 latency above 2s',
    description: 'p99 latency above 2s',
    service: 'checkout',
    severity: 'high',
    status,
    team: 'payments',
    assigned_to: 'Alice',
    assigned_email: 'alice@example.com',
    escalation_level: 0,
    alert_count: 1,
    created_at: '2026-11-27T08:00:00+00:00',
    updated_at: '2026-11-27T08:00:00+00:00',
    acknowledged_at: null,
    in_progress_at: null,
    resolved_at: null,
    resolved_by: null,
    mtta_seconds: null,
    mttr_seconds: null,
    unpaged: false,
    group_key: null,
    allowed_transitions: STATUSES.slice(STATUSES.indexOf(status) + 1),
    ...overrides,
  }
}

export function makeDetail(overrides: Partial<IncidentDetail> = {}): IncidentDetail {
  return {
    ...makeIncident(overrides),
    escalation: null,
    links: [],
    alerts: [],
    notes: [],
    timeline: [
      { id: 1, event_type: 'created', actor: 'alert-ingestion', detail: {}, created_at: '2026-11-27T08:00:00+00:00' },
    ],
    ...overrides,
  }
}

export function makeStats(overrides: Partial<IncidentStats> = {}): IncidentStats {
  return {
    since: null,
    until: '2026-11-27T09:00:00+00:00',
    bucket: 'day',
    series_since: '2026-11-26T00:00:00+00:00',
    counts: { open: 3, acknowledged: 1, in_progress: 2, resolved: 7 },
    total: 13,
    mtta_seconds_avg: 95,
    mttr_seconds_avg: 3720,
    by_service: [
      { service: 'checkout', incidents: 8, mtta_seconds_avg: 60, mttr_seconds_avg: 600 },
      { service: 'search', incidents: 5, mtta_seconds_avg: 120, mttr_seconds_avg: 9000 },
    ],
    by_severity: [{ severity: 'high', incidents: 13 }],
    series: [
      { bucket_start: '2026-11-26T00:00:00+00:00', incidents: 4, mtta_seconds_avg: 30, mttr_seconds_avg: 300 },
      { bucket_start: '2026-11-27T00:00:00+00:00', incidents: 9, mtta_seconds_avg: null, mttr_seconds_avg: 9000 },
    ],
    ...overrides,
  }
}
