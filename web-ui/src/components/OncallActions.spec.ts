import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { fail, fakeApi, ok } from '@/test/fakeApi'
import OncallActions from './OncallActions.vue'

const swap = {
  id: 'w1',
  schedule_id: 's1',
  role: 'primary',
  start: '2026-12-24T18:00:00Z',
  end: '2026-12-25T09:00:00Z',
  offered_name: 'Alice',
  offered_email: 'alice@example.com',
  note: 'Family visit',
  status: 'open',
}
const base = '/api/v1/schedules/s1'

describe('OncallActions', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('adds an override for the chosen role and time, and says so', async () => {
    const { calls } = fakeApi({
      [`GET ${base}/swaps`]: ok({ items: [], total: 0, page: 1, page_size: 50 }),
      [`POST ${base}/overrides`]: ({ body }) => ({ status: 201, body: { id: 'o1', ...body } }),
    })
    const wrapper = mount(OncallActions, { props: { scheduleId: 's1' } })
    await flushPromises()
    await wrapper.get('[data-test="add-override"]').trigger('click')
    await wrapper.get('select[name="override-role"]').setValue('secondary')
    await wrapper.get('input[name="override-name"]').setValue('Carol')
    await wrapper.get('input[name="override-email"]').setValue('carol@example.com')
    await wrapper.get('input[name="override-start"]').setValue('2030-01-02T08:00')
    await wrapper.get('input[name="override-end"]').setValue('2030-01-02T20:00')
    await wrapper.get('[data-test="override-form"]').trigger('submit')
    await flushPromises()

    const posted = calls.find((c) => c.method === 'POST')!.body
    expect(posted).toMatchObject({ role: 'secondary', name: 'Carol', email: 'carol@example.com' })
    expect(Date.parse(posted.end) - Date.parse(posted.start)).toBe(12 * 3600 * 1000)
    expect(wrapper.get('[data-test="action-done"]').text()).toBe('Override added.')
    expect(wrapper.emitted('changed')).toHaveLength(1)
    expect(wrapper.find('[data-test="override-form"]').exists()).toBe(false)
  })

  it('refuses an override that ends before it starts without sending it', async () => {
    const { calls } = fakeApi({ [`GET ${base}/swaps`]: ok({ items: [], total: 0, page: 1, page_size: 50 }) })
    const wrapper = mount(OncallActions, { props: { scheduleId: 's1' } })
    await wrapper.get('[data-test="add-override"]').trigger('click')
    await wrapper.get('input[name="override-name"]').setValue('Carol')
    await wrapper.get('input[name="override-email"]').setValue('carol@example.com')
    await wrapper.get('input[name="override-start"]').setValue('2030-01-02T08:00')
    await wrapper.get('input[name="override-end"]').setValue('2030-01-01T08:00')
    await wrapper.get('[data-test="override-form"]').trigger('submit')
    expect(wrapper.text()).toContain('Must be after start.')
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0)
  })

  it('lists open swaps and takes one as the person typed in; a refusal shows', async () => {
    let taken = false
    const { calls } = fakeApi({
      [`GET ${base}/swaps`]: () => ({ body: { items: taken ? [] : [swap], total: 1, page: 1, page_size: 50 } }),
      [`POST ${base}/swaps/w1/take`]: ({ body }) => {
        taken = true
        return { body: { ...swap, status: 'taken', taken_name: body.name, taken_email: body.email } }
      },
      [`POST ${base}/swaps`]: fail(422, 'Carol is not the primary on call for all of that time.'),
    })
    const wrapper = mount(OncallActions, { props: { scheduleId: 's1' } })
    await flushPromises()
    expect(wrapper.get('[data-test="open-swap"]').text()).toContain('Alice offers the primary shift')
    await wrapper.get('input[name="swap-person-name"]').setValue('Carol')
    await wrapper.get('input[name="swap-person-email"]').setValue('carol@example.com')
    await wrapper.get('[data-test="take-swap"]').trigger('click')
    await flushPromises()
    expect(calls.find((c) => c.path.endsWith('/take'))!.body).toEqual({ name: 'Carol', email: 'carol@example.com' })
    expect(wrapper.find('[data-test="open-swap"]').exists()).toBe(false)
    expect(wrapper.emitted('changed')).toHaveLength(1)

    await wrapper.get('[data-test="offer-swap"]').trigger('click')
    await wrapper.get('[data-test="swap-form"]').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-test="swap-error"]').text()).toContain('not the primary on call')
  })

  it('lets whoever offered a swap withdraw it instead of taking it', async () => {
    let withdrawn = false
    const { calls } = fakeApi({
      [`GET ${base}/swaps`]: () => ({ body: { items: withdrawn ? [] : [swap], total: 1, page: 1, page_size: 50 } }),
      [`DELETE ${base}/swaps/w1`]: () => {
        withdrawn = true
        return { body: { ...swap, status: 'cancelled' } }
      },
    })
    const wrapper = mount(OncallActions, { props: { scheduleId: 's1' } })
    await flushPromises()
    await wrapper.get('input[name="swap-person-email"]').setValue('ALICE@example.com')
    expect(wrapper.find('[data-test="take-swap"]').exists()).toBe(false)
    await wrapper.get('[data-test="withdraw-swap"]').trigger('click')
    await flushPromises()
    expect(calls.some((c) => c.method === 'DELETE' && c.path === `${base}/swaps/w1`)).toBe(true)
    expect(wrapper.find('[data-test="open-swap"]').exists()).toBe(false)
  })

  it('makes a calendar feed and shows its address once', async () => {
    fakeApi({
      [`GET ${base}/swaps`]: ok({ items: [], total: 0, page: 1, page_size: 50 }),
      [`POST ${base}/calendar-feeds`]: ok({ id: 'f1', path: '/api/v1/oncall/calendars/ical_abc.ics' }, 201),
    })
    const wrapper = mount(OncallActions, { props: { scheduleId: 's1' } })
    await wrapper.get('[data-test="calendar-feed"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-test="feed-url"]').text()).toContain('/api/v1/oncall/calendars/ical_abc.ics')
  })
})
