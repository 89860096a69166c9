import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import UserCreateForm from './UserCreateForm.vue'
import { fail, fakeApi } from '@/test/fakeApi'

const PASSWORD = 'a long enough password' // pragma: allowlist secret

async function fill(wrapper: ReturnType<typeof mount>, email: string, password = '') {
  await wrapper.get('input[name=name]').setValue(' Sam ')
  await wrapper.get('input[name=email]').setValue(email)
  await wrapper.get('select[name=role]').setValue('viewer')
  await wrapper.get('select[name=timezone]').setValue('Europe/Berlin')
  await wrapper.get('input[name=password]').setValue(password)
  await wrapper.get('form').trigger('submit')
  await flushPromises()
}

describe('UserCreateForm', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('creates a user, with a first password only when one is given', async () => {
    const { calls } = fakeApi({ 'POST /api/v1/users': (call) => ({ status: 201, body: { id: 'u9', active: true, ...call.body } }) })
    const wrapper = mount(UserCreateForm)
    await fill(wrapper, 'sam@example.com')
    expect(calls[0].body).toEqual({ name: 'Sam', email: 'sam@example.com', role: 'viewer', timezone: 'Europe/Berlin' })
    expect(wrapper.emitted('created')?.[0]?.[0]).toMatchObject({ id: 'u9', name: 'Sam' })
    expect((wrapper.get('input[name=name]').element as HTMLInputElement).value).toBe('')
    await fill(wrapper, 'sam2@example.com', PASSWORD)
    expect(calls[1].body.password).toBe(PASSWORD)
  })

  it("shows the platform's refusal next to the field and keeps what was typed", async () => {
    fakeApi({
      'POST /api/v1/users': fail(409, 'a user with e-mail sam@example.com already exists'),
    })
    const wrapper = mount(UserCreateForm)
    await fill(wrapper, 'sam@example.com')
    expect(wrapper.get('[role=alert]').text()).toContain('already exists')
    expect(wrapper.emitted('created')).toBeUndefined()
    expect((wrapper.get('input[name=email]').element as HTMLInputElement).value).toBe('sam@example.com')
  })
})
