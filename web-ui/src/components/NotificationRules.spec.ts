import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { fail, fakeApi, ok } from '@/test/fakeApi'
import NotificationRules from './NotificationRules.vue'

const email = { id: 'm1', type: 'email', address: 'alice@example.com', label: 'E-mail', verified: true }
const slack = { id: 'm2', type: 'slack', address: 'https://hooks.example.com/a', label: null, verified: true }
const methods = ok({ items: [email, slack], total: 2, page: 1, page_size: 200 })
const base = '/api/v1/users/u1'

describe('NotificationRules', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('says the default applies without rules, and adds "Slack after 2 minutes"', async () => {
    const rules = { items: [] as unknown[], uses_default: true }
    const { calls } = fakeApi({
      [`GET ${base}/contact-methods`]: methods,
      [`GET ${base}/notification-rules`]: () => ({ body: rules }),
      [`POST ${base}/notification-rules`]: ({ body }) => {
        rules.items.push({ id: 'r1', ...body, contact_method: slack })
        rules.uses_default = false
        return { status: 201, body: rules.items[0] }
      },
    })
    const wrapper = mount(NotificationRules, { props: { userId: 'u1' } })
    await flushPromises()
    expect(wrapper.get('[data-test="rules-default"]').text()).toContain('every verified contact method at once (E-mail, slack)')

    await wrapper.get('select[name="rule-method"]').setValue('m2')
    await wrapper.get('input[name="rule-minutes"]').setValue('2')
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ contact_method_id: 'm2', delay_seconds: 120 })
    expect(wrapper.get('[data-test="rule"]').text()).toContain('after 2m')
    expect(wrapper.find('[data-test="rules-default"]').exists()).toBe(false)
  })

  it('lists rules soonest first, removes one, and shows a refusal', async () => {
    const rules = {
      items: [
        { id: 'r1', contact_method_id: 'm1', delay_seconds: 0, contact_method: email },
        { id: 'r2', contact_method_id: 'm2', delay_seconds: 300, contact_method: { ...slack, verified: false } },
      ],
      uses_default: false,
    }
    const { calls } = fakeApi({
      [`GET ${base}/contact-methods`]: methods,
      [`GET ${base}/notification-rules`]: () => ({ body: rules }),
      [`DELETE ${base}/notification-rules/r2`]: () => {
        rules.items.pop()
        return { status: 204 }
      },
      [`POST ${base}/notification-rules`]: fail(409, 'the user already has a rule for that contact method after 0 seconds'),
    })
    const wrapper = mount(NotificationRules, { props: { userId: 'u1' } })
    await flushPromises()
    const listed = wrapper.findAll('[data-test="rule"]').map((li) => li.text())
    expect(listed[0]).toContain('E-mail')
    expect(listed[0]).toContain('at once')
    expect(listed[1]).toContain('after 5m')
    expect(listed[1]).toContain('not verified')

    await wrapper.findAll('[data-test="remove-rule"]')[1]!.trigger('click')
    await flushPromises()
    expect(calls.some((c) => c.method === 'DELETE')).toBe(true)
    expect(wrapper.findAll('[data-test="rule"]')).toHaveLength(1)

    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-test="rules-error"]').text()).toContain('already has a rule')
  })

  it('asks for a contact method first when the user has none', async () => {
    fakeApi({
      [`GET ${base}/contact-methods`]: ok({ items: [], total: 0, page: 1, page_size: 200 }),
      [`GET ${base}/notification-rules`]: ok({ items: [], uses_default: true }),
    })
    const wrapper = mount(NotificationRules, { props: { userId: 'u1' } })
    await flushPromises()
    expect(wrapper.find('form').exists()).toBe(false)
    expect(wrapper.get('[data-test="no-methods"]').text()).toContain('Add a contact method first')
  })
})
