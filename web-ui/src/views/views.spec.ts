import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import App from '@/App.vue'
import { routes } from '@/router'
import { fail, fakeApi, ok } from '@/test/fakeApi'
import { makeDetail, makeIncident, makeStats } from '@/test/factories'

// The pages as the router shows them, on a fake gateway.
let wrapper: VueWrapper | null = null
afterEach(() => wrapper?.unmount())

async function visit(path: string) {
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push(path)
  wrapper = mount(App, { global: { plugins: [router] } })
  await router.isReady()
  for (let i = 0; i < 5; i++) await flushPromises()
  return { router, page: wrapper }
}

const page = (items: unknown[]) => ({
  items,
  total: items.length,
  page: 1,
  page_size: 50,
  severity_counts: { critical: 0, high: items.length, medium: 0, low: 0 },
})

describe('pages', () => {
  it('dashboard: counts, mean MTTA/MTTR and active incidents; a row opens the incident', async () => {
    const incident = makeIncident({ id: 'inc-1', title: 'search: index lag' })
    fakeApi({
      'GET /api/v1/incidents/stats': ok(makeStats()),
      'GET /api/v1/incidents': ok(page([incident])),
      'GET /api/v1/incidents/inc-1': ok(makeDetail({ id: 'inc-1', title: 'search: index lag' })),
    })
    const { router, page: view } = await visit('/')
    expect(view.get('[data-test="count-open"] [data-test="value"]').text()).toBe('3')
    expect(view.get('[data-test="count-in_progress"] [data-test="value"]').text()).toBe('2')
    expect(view.get('[data-test="count-resolved"] [data-test="value"]').text()).toBe('7')
    expect(view.get('[data-test="mtta"] [data-test="value"]').text()).toBe('1m 35s')
    expect(view.get('[data-test="mttr"] [data-test="value"]').text()).toBe('1h 02m')

    await view.get('tr[data-incident-id="inc-1"]').trigger('click')
    await vi.waitFor(() => expect(view.find('[data-test="incident-title"]').exists()).toBe(true), { timeout: 15000 })
    expect(router.currentRoute.value.fullPath).toBe('/incidents/inc-1')
    expect(view.get('[data-test="incident-title"]').text()).toBe('search: index lag')
  })

  it('dashboard: the severity filter goes into the address and the query', async () => {
    const { calls } = fakeApi({
      'GET /api/v1/incidents/stats': ok(makeStats()),
      'GET /api/v1/incidents': ok(page([])),
    })
    const { router, page: view } = await visit('/?severity=critical')
    expect(calls.find((c) => c.path === '/api/v1/incidents' && c.query.has('sort'))?.query.get('severity')).toBe('critical')
    expect(view.get('[data-test="no-incidents"]').text()).toContain('No active incidents match these filters.')

    await view.get('[data-test="severity-filter"]').setValue('high')
    for (let i = 0; i < 5; i++) await flushPromises()
    expect(router.currentRoute.value.query.severity).toBe('high')
    expect(calls.filter((c) => c.path === '/api/v1/incidents' && c.query.has('sort')).at(-1)?.query.get('severity')).toBe('high')
  })

  it('dashboard: counts per severity are always shown, and pages go into the address', async () => {
    const items = [makeIncident({ id: 'crit', severity: 'critical' }), makeIncident({ id: 'low', severity: 'low' })]
    const { calls } = fakeApi({
      'GET /api/v1/incidents/stats': ok(makeStats()),
      'GET /api/v1/incidents': ok({
        items,
        total: 120,
        page: 1,
        page_size: 50,
        severity_counts: { critical: 1, high: 0, medium: 0, low: 119 },
      }),
    })
    const { router, page: view } = await visit('/')
    expect(view.get('[data-test="severity-count-critical"] [data-test="value"]').text()).toBe('1')
    expect(view.get('[data-test="severity-count-low"] [data-test="value"]').text()).toBe('119')
    expect(view.get('[data-test="page-info"]').text()).toBe('Page 1 of 3 · 120 incidents')
    expect(calls.find((c) => c.path === '/api/v1/incidents' && c.query.has('sort'))?.query.get('sort')).toBe('urgency')

    await view.get('[data-test="page-next"]').trigger('click')
    for (let i = 0; i < 5; i++) await flushPromises()
    expect(router.currentRoute.value.query.page).toBe('2')
    expect(calls.filter((c) => c.path === '/api/v1/incidents' && c.query.has('sort')).at(-1)?.query.get('page')).toBe('2')

    await view.get('[data-test="severity-count-critical"]').trigger('click')
    for (let i = 0; i < 5; i++) await flushPromises()
    expect(router.currentRoute.value.query).toEqual({ severity: 'critical' })
  })

  it('incident: an unknown id shows the not-found page', async () => {
    fakeApi({ 'GET /api/v1/incidents/nope': fail(400, 'incident_id must be a UUID') })
    const { page: view } = await visit('/incidents/nope')
    expect(view.get('[data-test="not-found"]').text()).toContain('Incident not found')
  })

  it('incident: a failed action is shown to the user', async () => {
    fakeApi({
      'GET /api/v1/incidents/inc-1': ok(makeDetail({ id: 'inc-1' })),
      'PATCH /api/v1/incidents/inc-1': fail(409, 'cannot move incident from resolved back to acknowledged'),
    })
    const { page: view } = await visit('/incidents/inc-1')
    await view.get('[data-action="acknowledged"]').trigger('click')
    for (let i = 0; i < 5; i++) await flushPromises()
    expect(view.get('[data-test="action-error"]').text()).toContain('cannot move incident from resolved back to acknowledged')
  })

  it('an unknown address shows the not-found page', async () => {
    fakeApi({})
    const { page: view } = await visit('/no/such/page')
    expect(view.get('[data-test="not-found"]').text()).toContain('Page not found')
  })
})
