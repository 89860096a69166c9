import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import IncidentNotes from './IncidentNotes.vue'
import { useSession } from '@/composables/useSession'

function authOn(on: boolean) {
  const session = useSession()
  session.authRequired.value = on
  session.checked.value = true
}

const note = { id: 'n1', author: 'Alice', content: 'Restarted the pod', created_at: '2026-11-27T08:00:00Z' }

describe('IncidentNotes', () => {
  it('lists the notes and clears the form once a note is stored (no auth: the author is typed)', async () => {
    authOn(false)
    const save = vi.fn(async () => true)
    const wrapper = mount(IncidentNotes, { props: { notes: [note], save } })
    expect(wrapper.findAll('[data-test="note"]')).toHaveLength(1)
    expect(wrapper.text()).toContain('Restarted the pod')

    await wrapper.get('input[name="author"]').setValue('Bob')
    await wrapper.get('textarea').setValue('  Rolled back deploy 42  ')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(save).toHaveBeenCalledWith('Rolled back deploy 42', 'Bob')
    expect((wrapper.get('textarea').element as HTMLTextAreaElement).value).toBe('')
  })

  it('asks no name when signed in: the platform records the user', async () => {
    authOn(true)
    const save = vi.fn(async () => true)
    const wrapper = mount(IncidentNotes, { props: { notes: [], save } })
    expect(wrapper.find('input[name="author"]').exists()).toBe(false)
    await wrapper.get('textarea').setValue('Checked the dashboards')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(save).toHaveBeenCalledWith('Checked the dashboards', '')
  })

  it('keeps the text when the note could not be stored', async () => {
    const save = vi.fn(async () => false)
    const wrapper = mount(IncidentNotes, { props: { notes: [], save } })
    await wrapper.get('textarea').setValue('Important finding')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect((wrapper.get('textarea').element as HTMLTextAreaElement).value).toBe('Important finding')
  })

  it('does not send an empty note', async () => {
    const save = vi.fn(async () => true)
    const wrapper = mount(IncidentNotes, { props: { notes: [], save } })
    await wrapper.get('textarea').setValue('   ')
    expect(wrapper.get('button[type="submit"]').attributes('disabled')).toBeDefined()
    await wrapper.get('form').trigger('submit')
    expect(save).not.toHaveBeenCalled()
  })
})
