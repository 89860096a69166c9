// The schedule form's model and the checks made before anything is sent (the service checks again).
import type { Member, ScheduleCreate } from '@/api/types'

export interface ScheduleDraft {
  team: string
  rotation_type: 'weekly' | 'daily'
  timezone: string
  handoff_time: string
  escalation_minutes: number
  members: Member[]
}

export function emptyDraft(): ScheduleDraft {
  return {
    team: '',
    rotation_type: 'weekly',
    timezone: 'UTC',
    handoff_time: '09:00',
    escalation_minutes: 5,
    members: [
      { name: '', email: '', role: 'primary' },
      { name: '', email: '', role: 'secondary' },
    ],
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** Field path ("team", "members.1.email") -> message, for what is wrong before sending. */
export function validateDraft(draft: ScheduleDraft): Record<string, string> {
  const errors: Record<string, string> = {}
  if (!draft.team.trim()) errors.team = 'A team name is required.'
  draft.members.forEach((member, index) => {
    if (!member.name.trim()) errors[`members.${index}.name`] = 'Name is required.'
    if (!EMAIL.test(member.email.trim())) errors[`members.${index}.email`] = 'A valid email is required.'
  })
  if (!draft.members.some((m) => m.role === 'primary')) errors.members = 'At least one primary is required.'
  if (!(draft.escalation_minutes > 0)) errors.escalation_timeout_seconds = 'Must be more than 0 minutes.'
  return errors
}

export function toScheduleCreate(draft: ScheduleDraft): ScheduleCreate {
  return {
    team: draft.team.trim(),
    rotation_type: draft.rotation_type,
    timezone: (draft.timezone.trim() || 'UTC') as ScheduleCreate['timezone'],
    handoff_time: draft.handoff_time || '00:00',
    escalation_timeout_seconds: Math.round(draft.escalation_minutes * 60),
    members: draft.members.map((m) => ({ name: m.name.trim(), email: m.email.trim(), role: m.role })),
  }
}
