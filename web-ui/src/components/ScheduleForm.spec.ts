import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { ApiError } from '@/api/client'
import type { Schedule, ScheduleCreate } from '@/api/types'
import ScheduleForm from './ScheduleForm.vue'

async function fill(wrapper: ReturnType<typeof mount>) {
  await wrapper.get('input[name="team"]').setValue('platform-engineering')
  await wrapper.get('input[name="member-0-name"]').setValue('Alice')
  await wrapper.get('input[name="member-0-email"]').setValue('alice@example.com')
  await wrapper.get('input[name="member-1-name"]').setValue('Bob')
  await wrapper.get('input[name="member-1-email"]').setValue('bob@example.com')
}

describe('ScheduleForm', () => {
  it('checks the fields before sending anything', async () => {
    const create = vi.fn()
    const wrapper = mount(ScheduleForm, { props: { create } })
    await wrapper.get('form').trigger('submit')
    expect(create).not.toHaveBeenCalled()
    expect(wrapper.text()).toContain('A team name is required.')
    expect(wrapper.text()).toContain('Name is required. A valid email is required.')
  })

  it('sends the schedule and announces it', async () => {
    const create = vi.fn(async (s: ScheduleCreate) => ({ id: 's1', ...s }) as unknown as Schedule)
    const wrapper = mount(ScheduleForm, { props: { create } })
    await fill(wrapper)
    await wrapper.get('[data-test="add-member"]').trigger('click')
    expect(wrapper.findAll('[data-test="member-row"]')).toHaveLength(3)
    await wrapper.findAll('[data-test="member-row"]')[2]!.get('button').trigger('click')
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    expect(create).toHaveBeenCalledWith({
      team: 'platform-engineering',
      rotation_type: 'weekly',
      timezone: 'UTC',
      handoff_time: '09:00',
      escalation_timeout_seconds: 300,
      members: [
        { name: 'Alice', email: 'alice@example.com', role: 'primary' },
        { name: 'Bob', email: 'bob@example.com', role: 'secondary' },
      ],
    })
    expect(wrapper.emitted('created')?.[0]?.[0]).toMatchObject({ id: 's1' })
    expect((wrapper.get('input[name="team"]').element as HTMLInputElement).value).toBe('')
  })

  it("shows the service's refusal and its field errors, keeping what was typed", async () => {
    const create = vi.fn(async () => {
      throw new ApiError(422, 'Unprocessable Entity (HTTP 422)', { json: { timezone: ['Unknown time zone.'] } })
    })
    const wrapper = mount(ScheduleForm, { props: { create } })
    await fill(wrapper)
    await wrapper.get('input[name="timezone"]').setValue('Mars/Olympus')
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    expect(wrapper.get('[data-test="form-error"]').text()).toBe('Unprocessable Entity (HTTP 422)')
    expect(wrapper.text()).toContain('Unknown time zone.')
    expect((wrapper.get('input[name="team"]').element as HTMLInputElement).value).toBe('platform-engineering')
    expect(wrapper.emitted('created')).toBeUndefined()
  })
})
