import { afterEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { fakeApi, ok } from '@/test/fakeApi'
import { FakeEventSource } from '@/test/fakeEventSource'
import { makeIncident, makeStats } from '@/test/factories'
import { LIVE_LIST_MS, useDashboard, type DashboardFilters } from './useDashboard'

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

  it('shows a live change in the list within a quarter second while the slow stats are still out', async () => {
    FakeEventSource.made = []
    vi.stubGlobal('EventSource', FakeEventSource)
    let listed = 0
    const page = (items: ReturnType<typeof makeIncident>[]) => ({
      items,
      total: items.length,
      page: 1,
      page_size: 50,
      severity_counts: { critical: items.length, high: 0, medium: 0, low: 0 },
    })
    fakeApi({
      'GET /api/v1/incidents/stats': () => new Promise(() => {}), // the whole history: still adding up
      'GET /api/v1/incidents': () => ok(page(listed++ ? [makeIncident({ id: 'new-one' })] : []))(),
    })
    scope = effectScope()
    const dashboard = scope.run(() => useDashboard(ref<DashboardFilters>({}), 60000))!
    await vi.waitFor(() => expect(listed).toBe(1))
    const stream = FakeEventSource.made.at(-1)!
    stream.send('ready')
    stream.send('incident', { id: 'new-one', change: 'created' })

    await vi.waitFor(() => expect(dashboard.active.value.map((i) => i.id)).toEqual(['new-one']), {
      timeout: LIVE_LIST_MS + 300,
    })
    expect(dashboard.stats.value).toBeNull()
    vi.unstubAllGlobals()
  })
})
