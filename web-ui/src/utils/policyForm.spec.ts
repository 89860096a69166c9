import { describe, expect, it } from 'vitest'
import type { Policy } from '@/api/types'
import { draftOfPolicy, emptyPolicyDraft, emptyTarget, toPolicyCreate, validatePolicyDraft } from './policyForm'

const policy: Policy = {
  id: 'p1',
  team: 'payments',
  name: 'payments default',
  repeat: 2,
  is_default: true,
  follows_schedule: false,
  working_hours: { timezone: 'Europe/Berlin', days: ['mon'], start: '09:00', end: '17:00' },
  created_at: '2026-12-01T08:00:00Z',
  updated_at: '2026-12-01T08:00:00Z',
  steps: [
    { delay_seconds: 300, targets: [{ type: 'schedule', schedule_id: 's1', role: 'primary' }] },
    { delay_seconds: 90, targets: [{ type: 'user', email: 'sam@example.com', name: 'Sam' }, { type: 'team', team: 'sre' }] },
  ],
}

describe('policyForm', () => {
  it('round-trips a policy through the draft, delays in minutes', () => {
    const draft = draftOfPolicy(policy)
    expect(draft.steps.map((s) => s.delay_minutes)).toEqual([5, 1.5])
    expect(toPolicyCreate(draft)).toEqual({
      team: 'payments',
      name: 'payments default',
      repeat: 2,
      is_default: true,
      working_hours: policy.working_hours,
      steps: [
        { delay_seconds: 300, targets: [{ type: 'schedule', schedule_id: 's1', role: 'primary' }] },
        { delay_seconds: 90, targets: [{ type: 'user', email: 'sam@example.com', name: 'Sam' }, { type: 'team', team: 'sre' }] },
      ],
    })
  })

  it('names each problem by the path the service uses', () => {
    const draft = emptyPolicyDraft()
    draft.repeat = 10
    draft.steps[0]!.delay_minutes = -1
    draft.steps[0]!.targets = [emptyTarget('schedule'), { ...emptyTarget('user'), email: 'nope' }, emptyTarget('team')]
    expect(validatePolicyDraft(draft)).toEqual({
      team: 'A team is required.',
      name: 'A name is required.',
      repeat: 'From 0 to 9.',
      'steps.0.delay_seconds': 'Must be 0 minutes or more.',
      'steps.0.targets.0.schedule_id': 'Choose a schedule.',
      'steps.0.targets.1.email': 'A valid email is required.',
      'steps.0.targets.2.team': 'A team is required.',
    })
    expect(validatePolicyDraft({ ...draft, steps: [] }).steps).toBe('At least one step is required.')
  })

  it('a new policy pages the first schedule and leaves the default alone', () => {
    const draft = emptyPolicyDraft('payments', 's1')
    draft.name = 'Nights'
    expect(validatePolicyDraft(draft)).toEqual({})
    expect(toPolicyCreate(draft)).toEqual({
      team: 'payments',
      name: 'Nights',
      repeat: 0,
      steps: [{ delay_seconds: 300, targets: [{ type: 'schedule', schedule_id: 's1', role: 'primary' }] }],
    })
  })
})
