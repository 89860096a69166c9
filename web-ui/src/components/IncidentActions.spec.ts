import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import IncidentActions from './IncidentActions.vue'

function buttons(wrapper: ReturnType<typeof mount>) {
  return Object.fromEntries(
    wrapper.findAll('button').map((b) => [b.attributes('data-action'), b.attributes('disabled') === undefined]),
  )
}

describe('IncidentActions', () => {
  it('enables exactly the allowed transitions', () => {
    const wrapper = mount(IncidentActions, {
      props: { allowed: ['in_progress', 'resolved'], canEscalate: true, busy: null },
    })
    expect(buttons(wrapper)).toEqual({ acknowledged: false, in_progress: true, resolved: true, escalate: true })
  })

  it('disables everything for a resolved incident', () => {
    const wrapper = mount(IncidentActions, { props: { allowed: [], canEscalate: false, busy: null } })
    expect(Object.values(buttons(wrapper))).toEqual([false, false, false, false])
  })

  it('disables everything while an action runs, and says which', () => {
    const wrapper = mount(IncidentActions, {
      props: { allowed: ['acknowledged', 'in_progress', 'resolved'], canEscalate: true, busy: 'acknowledged' },
    })
    expect(Object.values(buttons(wrapper))).toEqual([false, false, false, false])
    expect(wrapper.get('[data-action="acknowledged"]').text()).toBe('Acknowledging…')
  })

  it('shows passed steps as done and makes the next step the primary button', () => {
    const wrapper = mount(IncidentActions, {
      props: { allowed: ['in_progress', 'resolved'], canEscalate: true, busy: null },
    })
    const acknowledge = wrapper.get('[data-action="acknowledged"]')
    expect(acknowledge.text()).toBe('✓ Acknowledged')
    expect(acknowledge.classes()).toEqual(['done'])
    expect(wrapper.get('[data-action="in_progress"]').classes()).toEqual(['primary'])
    expect(wrapper.get('[data-action="resolved"]').classes()).toEqual([])
  })

  it('emits the chosen status and escalation', async () => {
    const wrapper = mount(IncidentActions, {
      props: { allowed: ['acknowledged', 'in_progress', 'resolved'], canEscalate: true, busy: null },
    })
    await wrapper.get('[data-action="resolved"]').trigger('click')
    await wrapper.get('[data-action="escalate"]').trigger('click')
    expect(wrapper.emitted('move')).toEqual([['resolved']])
    expect(wrapper.emitted('escalate')).toHaveLength(1)
  })
})
