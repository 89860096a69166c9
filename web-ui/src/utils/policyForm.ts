// The policy editor's model: steps with a delay in minutes and their targets, checked before sending (the
// service checks again: a schedule that does not exist, a name taken).
import type { Policy, PolicyCreate, PolicyTarget } from '@/api/types'

export type TargetType = 'schedule' | 'user' | 'team'

export interface TargetDraft {
  type: TargetType
  schedule_id: string
  role: 'primary' | 'secondary'
  email: string
  name: string
  team: string
}

export interface StepDraft {
  delay_minutes: number
  targets: TargetDraft[]
}

export interface PolicyDraft {
  id: string | null
  team: string
  name: string
  repeat: number
  is_default: boolean
  working_hours: Policy['working_hours']
  steps: StepDraft[]
}

export function emptyTarget(type: TargetType = 'schedule', scheduleId = ''): TargetDraft {
  return { type, schedule_id: scheduleId, role: 'primary', email: '', name: '', team: '' }
}

export function emptyStep(scheduleId = ''): StepDraft {
  return { delay_minutes: 5, targets: [emptyTarget('schedule', scheduleId)] }
}

export function emptyPolicyDraft(team = '', scheduleId = ''): PolicyDraft {
  return { id: null, team, name: '', repeat: 0, is_default: false, working_hours: null, steps: [emptyStep(scheduleId)] }
}

export function draftOfPolicy(policy: Policy): PolicyDraft {
  return {
    id: policy.id,
    team: policy.team,
    name: policy.name,
    repeat: policy.repeat,
    is_default: policy.is_default,
    working_hours: policy.working_hours,
    steps: policy.steps.map((step) => ({
      delay_minutes: step.delay_seconds / 60,
      targets: step.targets.map((t) => ({
        ...emptyTarget(t.type as TargetType),
        schedule_id: t.schedule_id ?? '',
        role: t.role ?? 'primary',
        email: t.email ?? '',
        name: t.name ?? '',
        team: t.team ?? '',
      })),
    })),
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** Field path ("name", "steps.0.targets.1.email") -> message, for what is wrong before sending. */
export function validatePolicyDraft(draft: PolicyDraft): Record<string, string> {
  const errors: Record<string, string> = {}
  if (!draft.team.trim()) errors.team = 'A team is required.'
  if (!draft.name.trim()) errors.name = 'A name is required.'
  if (!(Number.isInteger(draft.repeat) && draft.repeat >= 0 && draft.repeat <= 9)) errors.repeat = 'From 0 to 9.'
  if (!draft.steps.length) errors.steps = 'At least one step is required.'
  draft.steps.forEach((step, s) => {
    if (!(step.delay_minutes >= 0)) errors[`steps.${s}.delay_seconds`] = 'Must be 0 minutes or more.'
    if (!step.targets.length) errors[`steps.${s}.targets`] = 'A step needs at least one target.'
    step.targets.forEach((target, t) => {
      const at = `steps.${s}.targets.${t}`
      if (target.type === 'schedule' && !target.schedule_id) errors[`${at}.schedule_id`] = 'Choose a schedule.'
      if (target.type === 'user' && !EMAIL.test(target.email.trim())) errors[`${at}.email`] = 'A valid email is required.'
      if (target.type === 'team' && !target.team.trim()) errors[`${at}.team`] = 'A team is required.'
    })
  })
  return errors
}

function toTarget(target: TargetDraft): PolicyTarget {
  if (target.type === 'schedule') return { type: 'schedule', schedule_id: target.schedule_id, role: target.role }
  if (target.type === 'team') return { type: 'team', team: target.team.trim() }
  const person: PolicyTarget = { type: 'user', email: target.email.trim() }
  if (target.name.trim()) person.name = target.name.trim()
  return person
}

export function toPolicyCreate(draft: PolicyDraft): PolicyCreate {
  const policy: PolicyCreate = {
    team: draft.team.trim(),
    name: draft.name.trim(),
    repeat: draft.repeat,
    steps: draft.steps.map((step) => ({
      delay_seconds: Math.round(step.delay_minutes * 60),
      targets: step.targets.map(toTarget),
    })),
  }
  if (draft.is_default) policy.is_default = true
  if (draft.working_hours) policy.working_hours = draft.working_hours
  return policy
}
