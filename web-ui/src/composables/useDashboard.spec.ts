import { afterEach, describe, expect, it } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { fakeApi, ok } from '@/test/fakeApi'
import { makeIncident, makeStats } from '@/test/factories'
import { byUrgency, useDashboard, type DashboardFilters } from './useDashboard'

describe('byUrgency', () => {
  it('puts the most severe first, then the newest', () => {
    const incidents = [
      makeIncident({ id: 'low', severity: 'low', created_at: '2026-11-27T09:00:00Z' }),
      makeIncident({ id: 'crit-old', severity: 'critical', created_at: '2026-11-27T07:00:00Z' }),
      makeIncident({ id: 'crit-new', severity: 'critical', created_at: '2026-11-27T08:00:00Z' }),
      makeIncident({ id: 'high', severity: 'high', created_at: '2026-11-27T09:30:00Z' }),
    ]
    expect(incidents.sort(byUrgency).map((i) => i.id)).toEqual(['crit-new', 'crit-old', 'high', 'low'])
  })
})

describe('useDashboard', () => {
  let scope = effectScope()
  afterEach(() => scope.stop())

  it('asks for active incidents with the filters and offers the known services', async () => {
    const { calls } = fakeApi({
      'GET /api/v1/incidents/stats': ok(makeStats()),
      'GET /api/v1/incidents': ok({ items: [makeIncident({ service: 'billing' })], total: 1, page: 1, page_size: 100 }),
    })
    const filters = ref<DashboardFilters>({ severity: 'critical' })
    scope = effectScope()
    const dashboard = scope.run(() => useDashboard(filters, 60000))!
    await dashboard.ready

    const list = calls.find((c) => c.path === '/api/v1/incidents')!
    expect(list.query.get('status')).toBe('open,acknowledged,in_progress')
    expect(list.query.get('severity')).toBe('critical')
    expect(dashboard.stats.value?.counts.resolved).toBe(7)
    expect(dashboard.activeTotal.value).toBe(1)
    expect(dashboard.services.value).toEqual(['billing', 'checkout', 'search'])

    filters.value = { service: 'search' }
    await nextTick()
    await dashboard.refresh()
    const last = calls.filter((c) => c.path === '/api/v1/incidents').at(-1)!
    expect(last.query.get('service')).toBe('search')
    expect(last.query.has('severity')).toBe(false)
  })
})
