import { describe, expect, it } from 'vitest'
import type { TimelineEvent } from '@/api/types'
import { describeEvent, eventTone } from './timeline'

const event = (event_type: string, detail: Record<string, unknown> = {}): TimelineEvent => ({
  id: 1,
  event_type,
  actor: 'alice',
  detail,
  created_at: '2026-11-27T08:00:00Z',
})

describe('describeEvent', () => {
  it.each([
    [event('created'), 'Incident opened'],
    [event('alert_attached', { alert_id: '3cd354f2-e6c3-4742' }), 'Alert attached (3cd354f2)'],
    [event('assigned', { assigned_to: 'Alice' }), 'Assigned to Alice'],
    [event('notified', { recipient: 'alice@example.com', channel: 'email' }), 'Notified alice@example.com via email'],
    [event('acknowledged', { mtta_seconds: 75 }), 'Acknowledged after 1m 15s'],
    [event('in_progress'), 'Work started'],
    [event('escalated', { level: 1, assigned_to: { name: 'Bob', email: 'bob@example.com' } }), 'Escalated to level 1 (Bob)'],
    [event('resolved', { mttr_seconds: 3600 }), 'Resolved after 1h 00m'],
    [event('paging_failed', { reason: 'on-call service unreachable' }), 'Paging failed: on-call service unreachable'],
    [event('alert_moved_out', { incident_id: '9f0c2a1e-77', message: 'disk full' }), 'Alert moved to incident 9f0c2a1e: disk full'],
    [event('alert_moved_in', { incident_id: '4b7d0c33-10' }), 'Alert moved in from incident 4b7d0c33'],
    [event('merged_into', { incident_id: '9f0c2a1e-77', alerts: 3 }), 'Merged into incident 9f0c2a1e (3 alerts moved)'],
    [event('merged_from', { incident_id: '4b7d0c33-10', alerts: 3 }), 'Incident 4b7d0c33 merged in (3 alerts)'],
    [event('something_new'), 'something new'],
  ])('%#: %s', (e, expected) => {
    expect(describeEvent(e)).toBe(expected)
  })

  it('colours failures, escalations and resolutions', () => {
    expect(eventTone('paging_failed')).toBe('bad')
    expect(eventTone('escalated')).toBe('bad')
    expect(eventTone('resolved')).toBe('good')
    expect(eventTone('note_added')).toBe('')
  })
})
