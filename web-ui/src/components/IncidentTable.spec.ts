import { describe, expect, it } from 'vitest'
import { mount, RouterLinkStub } from '@vue/test-utils'
import { makeIncident } from '@/test/factories'
import IncidentTable from './IncidentTable.vue'

const now = Date.parse('2026-11-27T08:04:05Z')

function mountTable() {
  return mount(IncidentTable, {
    props: {
      now,
      incidents: [
        makeIncident({ id: 'a', severity: 'critical', alert_count: 3 }),
        makeIncident({ id: 'b', severity: 'low', assigned_to: null, status: 'acknowledged' }),
      ],
    },
    global: { stubs: { RouterLink: RouterLinkStub } },
  })
}

describe('IncidentTable', () => {
  it('shows severity, title, service, status, assignee and age', () => {
    const rows = mountTable().findAll('tbody tr')
    expect(rows).toHaveLength(2)
    const cells = rows[0]!.findAll('td').map((td) => td.text())
    expect(cells).toEqual([
      'critical',
      'checkout: p99 latency above 2s× 3 alerts',
      'checkout',
      'Open',
      'Alice',
      '4m 05s',
    ])
    expect(rows[1]!.text()).toContain('unassigned')
    expect(rows[1]!.get('[data-status]').attributes('data-status')).toBe('acknowledged')
  })

  it('opens the incident from a click or the Enter key', async () => {
    const wrapper = mountTable()
    const rows = wrapper.findAll('tbody tr')
    await rows[0]!.trigger('click')
    await rows[1]!.trigger('keydown', { key: 'Enter' })
    expect(wrapper.emitted('open')).toEqual([['a'], ['b']])
    expect(wrapper.findComponent(RouterLinkStub).props('to')).toBe('/incidents/a')
  })
})
