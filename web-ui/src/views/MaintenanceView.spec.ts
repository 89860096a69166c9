import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import MaintenanceView from '@/views/MaintenanceView.vue'
import { fakeApi, ok } from '@/test/fakeApi'
import { viewerZone } from '@/utils/format'

let wrapper: VueWrapper | null = null
afterEach(() => wrapper?.unmount())

const upgrade = {
  id: 'w-1',
  name: 'Database upgrade',
  service: 'payments-db',
  team: null,
  starts_at: '2026-12-05T22:00:00+00:00',
  ends_at: '2026-12-06T01:00:00+00:00',
  recurrence: 'none',
  time_zone: 'UTC',
  repeat_until: null,
  reason: 'PostgreSQL 17',
  created_by: null,
  created_at: '2026-12-01T10:00:00+00:00',
  active: true,
  next_start: '2026-12-05T22:00:00+00:00',
  next_end: '2026-12-06T01:00:00+00:00',
}
const page = (items: unknown[]) => ({ items, total: items.length, page: 1, page_size: 100 })

async function show() {
  wrapper = mount(MaintenanceView)
  for (let i = 0; i < 5; i++) await flushPromises()
  return wrapper
}

describe('maintenance page', () => {
  it('lists the windows, says which is on, and ends one now', async () => {
    const { calls } = fakeApi({
      'GET /api/v1/maintenance-windows': ok(page([upgrade])),
      'PATCH /api/v1/maintenance-windows/w-1': ok({ ...upgrade, active: false }),
    })
    const view = await show()
    const row = view.get('tr[data-window-id="w-1"]')
    expect(row.text()).toContain('Database upgrade')
    expect(row.text()).toContain('payments-db')
    expect(row.find('[data-test="active"]').exists()).toBe(true)
    await row.get('[data-test="end-window"]').trigger('click')
    await flushPromises()
    const patch = calls.find((call) => call.method === 'PATCH')
    expect(Object.keys(patch?.body ?? {})).toEqual(['ends_at'])
  })

  it('plans a window and shows the service\'s objections next to their field', async () => {
    const { calls } = fakeApi({
      'GET /api/v1/maintenance-windows': ok(page([])),
      'POST /api/v1/maintenance-windows': ok(
        { code: 422, status: 'Unprocessable Entity', message: 'invalid', errors: { json: { ends_at: ['Must be after starts_at.'] } } },
        422,
      ),
    })
    const view = await show()
    expect(view.get('[data-test="no-windows"]').text()).toContain('No maintenance window')
    await view.get('input[name="name"]').setValue('Upgrade')
    await view.get('input[name="service"]').setValue('payments-db')
    await view.get('input[name="starts_at"]').setValue('2026-12-05T22:00')
    await view.get('input[name="ends_at"]').setValue('2026-12-05T21:00')
    await view.get('select[name="recurrence"]').setValue('weekly')
    await view.get('[data-test="maintenance-form"]').trigger('submit')
    await flushPromises()
    const post = calls.find((call) => call.method === 'POST')
    expect(post?.body).toMatchObject({ name: 'Upgrade', service: 'payments-db', team: null, recurrence: 'weekly' })
    expect(post?.body.time_zone).toBe(viewerZone.value)
    expect(post?.body.starts_at).toMatch(/^2026-12-0\dT\d\d:00:00.000Z$/)
    expect(view.text()).toContain('Must be after starts_at.')
  })
})
