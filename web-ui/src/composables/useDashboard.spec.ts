import { afterEach, describe, expect, it } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { fakeApi, ok } from '@/test/fakeApi'
import { makeIncident, makeStats } from '@/test/factories'
import { useDashboard, type DashboardFilters } from './useDashboard'

describe('useDashboard', () => {
  let scope = effectScope()
  afterEach(() => scope.stop())

  it('asks for active incidents with the filters and offers the known services', async () => {
    const { calls } = fakeApi({
      'GET /api/v1/incidents/stats': ok(makeStats()),
      'GET /api/v1/incidents': ok({
        items: [makeIncident({ service: 'billing' })],
        total: 1,
        page: 1,
        page_size: 50,
        severity_counts: { critical: 1, high: 4, medium: 0, low: 100 },
      }),
    })
    const filters = ref<DashboardFilters>({ severity: 'critical' })
    scope = effectScope()
    const dashboard = scope.run(() => useDashboard(filters, 60000))!
    await dashboard.ready

    const list = calls.find((c) => c.path === '/api/v1/incidents')!
    expect(list.query.get('status')).toBe('open,acknowledged,in_progress')
    expect(list.query.get('severity')).toBe('critical')
    expect(list.query.get('sort')).toBe('urgency')
    expect(list.query.get('page')).toBe('1')
    expect(dashboard.severityCounts.value.low).toBe(100)
    expect(dashboard.stats.value?.counts.resolved).toBe(7)
    expect(dashboard.activeTotal.value).toBe(1)
    expect(dashboard.services.value).toEqual(['billing', 'checkout', 'search'])

    filters.value = { service: 'search', page: 3 }
    await nextTick()
    await dashboard.refresh()
    const last = calls.filter((c) => c.path === '/api/v1/incidents').at(-1)!
    expect(last.query.get('service')).toBe('search')
    expect(last.query.has('severity')).toBe(false)
    expect(last.query.get('page')).toBe('3')
  })
})
