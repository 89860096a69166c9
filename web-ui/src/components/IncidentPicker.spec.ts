import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { fakeApi, ok } from '@/test/fakeApi'
import { makeIncident } from '@/test/factories'
import IncidentPicker from './IncidentPicker.vue'

const here = makeIncident({ id: 'i-here', title: 'checkout: disk full' })
const there = makeIncident({ id: 'i-there', title: 'checkout: latency', alert_count: 4 })

describe('IncidentPicker', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('searches open incidents only, leaves out the current one, and emits the pick or a split', async () => {
    const { calls } = fakeApi({
      'GET /api/v1/incidents': ok({ items: [here, there], total: 2, page: 1, page_size: 10, severity_counts: {} }),
    })
    const wrapper = mount(IncidentPicker, { props: { title: 'Move alert to', exclude: 'i-here', allowSplit: true, disabled: false } })
    await flushPromises()
    await wrapper.get('input[name="incident_search"]').setValue('checkout')
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    const query = calls[calls.length - 1].query
    expect([query.get('q'), query.get('status')]).toEqual(['checkout', 'open,acknowledged,in_progress'])
    const targets = wrapper.findAll('[data-test="pick-incident"]')
    expect(targets.map((t) => t.attributes('data-id'))).toEqual(['i-there'])
    expect(targets[0].text()).toContain('4 alerts')
    await targets[0].trigger('click')
    await wrapper.get('[data-test="split-alert"]').trigger('click')
    expect(wrapper.emitted('pick')).toEqual([['i-there'], ['new']])
  })

  it('offers no split when merging, and says when nothing else is open', async () => {
    fakeApi({ 'GET /api/v1/incidents': ok({ items: [here], total: 1, page: 1, page_size: 10, severity_counts: {} }) })
    const wrapper = mount(IncidentPicker, { props: { title: 'Merge into', exclude: 'i-here', disabled: false } })
    await flushPromises()
    expect(wrapper.find('[data-test="split-alert"]').exists()).toBe(false)
    expect(wrapper.text()).toContain('No other open incident matches.')
  })
})
