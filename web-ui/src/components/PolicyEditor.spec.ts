import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { ApiError } from '@/api/client'
import type { Policy, PolicyCreate, Schedule } from '@/api/types'
import { emptyPolicyDraft } from '@/utils/policyForm'
import PolicyEditor from './PolicyEditor.vue'

const schedules = [{ id: 's1', team: 'payments' }, { id: 's2', team: 'search' }] as Schedule[]

describe('PolicyEditor', () => {
  it('builds two steps with delays, targets and a repeat, and saves them', async () => {
    const save = vi.fn(async (_id: string | null, p: PolicyCreate) => ({ id: 'p9', ...p }) as unknown as Policy)
    const wrapper = mount(PolicyEditor, { props: { initial: emptyPolicyDraft('payments', 's1'), schedules, save } })
    await wrapper.get('input[name="policy-name"]').setValue('Nights')
    await wrapper.get('input[name="policy-repeat"]').setValue('1')
    await wrapper.get('input[name="step-0-delay"]').setValue('10')
    await wrapper.get('[data-test="add-step"]').trigger('click')
    await wrapper.get('select[name="step-1-target-0-type"]').setValue('user')
    await wrapper.get('input[name="step-1-target-0-email"]').setValue('sam@example.com')
    await wrapper.findAll('[data-test="add-target"]')[1]!.trigger('click')
    await wrapper.get('select[name="step-1-target-1-role"]').setValue('secondary')
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    expect(save).toHaveBeenCalledWith(null, {
      team: 'payments',
      name: 'Nights',
      repeat: 1,
      steps: [
        { delay_seconds: 600, targets: [{ type: 'schedule', schedule_id: 's1', role: 'primary' }] },
        {
          delay_seconds: 300,
          targets: [
            { type: 'user', email: 'sam@example.com' },
            { type: 'schedule', schedule_id: 's1', role: 'secondary' },
          ],
        },
      ],
    })
    expect(wrapper.emitted('saved')?.[0]?.[0]).toMatchObject({ id: 'p9' })
  })

  it('checks before sending, then shows what the service refused next to its field', async () => {
    const save = vi.fn(async () => {
      throw new ApiError(422, 'Unprocessable Entity (HTTP 422)', {
        json: { steps: { '0': { targets: { '0': { schedule_id: ['No such schedule.'] } } } } },
      })
    })
    const wrapper = mount(PolicyEditor, { props: { initial: emptyPolicyDraft('payments', 's1'), schedules, save } })
    await wrapper.get('form').trigger('submit')
    expect(save).not.toHaveBeenCalled()
    expect(wrapper.text()).toContain('A name is required.')

    await wrapper.get('input[name="policy-name"]').setValue('Nights')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-test="policy-error"]').text()).toBe('Unprocessable Entity (HTTP 422)')
    expect(wrapper.get('[data-test="policy-step"]').text()).toContain('No such schedule.')
  })

  it("keeps an edited policy's team and its default", async () => {
    const initial = { ...emptyPolicyDraft('payments', 's1'), id: 'p1', name: 'payments default', is_default: true }
    const save = vi.fn(async () => ({}) as Policy)
    const wrapper = mount(PolicyEditor, { props: { initial, schedules, save } })
    expect(wrapper.get('input[name="policy-team"]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('input[name="policy-default"]').attributes('disabled')).toBeDefined()
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(save).toHaveBeenCalledWith('p1', expect.objectContaining({ is_default: true, name: 'payments default' }))
  })
})
