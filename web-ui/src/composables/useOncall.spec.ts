import { afterEach, describe, expect, it } from 'vitest'
import { effectScope } from 'vue'
import type { Schedule } from '@/api/types'
import { fail, fakeApi, ok } from '@/test/fakeApi'
import { useOncall } from './useOncall'

const schedule = (team: string): Schedule => ({
  id: `id-${team}`,
  team,
  rotation_type: 'weekly',
  members: [{ name: 'Alice', email: 'alice@example.com', role: 'primary' }],
  timezone: 'UTC',
  handoff_time: '09:00',
  rotation_start: null,
  escalation_timeout_seconds: 300,
  created_at: '2026-11-27T08:00:00Z',
  updated_at: '2026-11-27T08:00:00Z',
})

describe('useOncall', () => {
  let scope = effectScope()
  afterEach(() => scope.stop())

  it("loads every team's current on-call, shifts and escalation chain; one failing team does not hide the others", async () => {
    const alice = { name: 'Alice', email: 'alice@example.com' }
    fakeApi({
      'GET /api/v1/schedules': ok({ items: [schedule('search'), schedule('payments')], total: 2, page: 1, page_size: 200 }),
      'GET /api/v1/oncall/current': ({ query }) =>
        query.get('team') === 'search'
          ? fail(500, 'rotation broken')()
          : { body: { team: 'payments', primary: alice, secondary: null, shift_start: '', shift_end: '', override: false } },
      'GET /api/v1/oncall/chain': ({ query }) => ({
        body: {
          team: query.get('team'),
          policy: { id: 'p1', name: `${query.get('team')} default`, repeat: 0 },
          steps: [{ position: 0, delay_seconds: 300, label: 'the primary on call', people: [alice] }],
          urgency: {},
          working_hours: null,
        },
      }),
      'GET /api/v1/oncall/shifts': ({ query }) => ({
        body: { team: query.get('team'), shifts: Array.from({ length: 10 }, (_, i) => ({ start: `${i}`, end: '', primary: alice, secondary: null })) },
      }),
    })
    scope = effectScope()
    const oncall = scope.run(() => useOncall(60000))!
    await oncall.ready

    expect(oncall.teams.value.map((t) => t.schedule.team)).toEqual(['payments', 'search'])
    const [payments, search] = oncall.teams.value
    expect(payments!.current?.primary.name).toBe('Alice')
    expect(payments!.shifts).toHaveLength(6)
    expect(payments!.error).toBeNull()
    expect(payments!.chain?.policy.name).toBe('payments default')
    expect(search!.current).toBeNull()
    expect(search!.error).toBe('rotation broken (HTTP 500)')
  })
})
