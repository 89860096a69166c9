import { describe, expect, it } from 'vitest'
import { emptyDraft, toScheduleCreate, validateDraft } from './scheduleForm'

function filledDraft() {
  const draft = emptyDraft()
  draft.team = ' platform-engineering '
  draft.members = [
    { name: 'Alice', email: 'alice@example.com', role: 'primary' },
    { name: 'Bob ', email: ' bob@example.com', role: 'secondary' },
  ]
  return draft
}

describe('validateDraft', () => {
  it('accepts a complete draft', () => {
    expect(validateDraft(filledDraft())).toEqual({})
  })

  it('names every missing or wrong field', () => {
    const draft = emptyDraft()
    draft.members[1]!.email = 'not-an-email'
    draft.escalation_minutes = 0
    expect(validateDraft(draft)).toEqual({
      team: 'A team name is required.',
      'members.0.name': 'Name is required.',
      'members.0.email': 'A valid email is required.',
      'members.1.name': 'Name is required.',
      'members.1.email': 'A valid email is required.',
      escalation_timeout_seconds: 'Must be more than 0 minutes.',
    })
  })

  it('requires a primary', () => {
    const draft = filledDraft()
    draft.members[0]!.role = 'secondary'
    expect(validateDraft(draft)).toEqual({ members: 'At least one primary is required.' })
  })
})

describe('toScheduleCreate', () => {
  it('trims text and sends the timeout in seconds', () => {
    expect(toScheduleCreate(filledDraft())).toEqual({
      team: 'platform-engineering',
      rotation_type: 'weekly',
      timezone: 'UTC',
      handoff_time: '09:00',
      escalation_timeout_seconds: 300,
      members: [
        { name: 'Alice', email: 'alice@example.com', role: 'primary' },
        { name: 'Bob', email: 'bob@example.com', role: 'secondary' },
      ],
    })
  })
})
