import { flushPromises, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import ContactMethodList from './ContactMethodList.vue'
import { fail, fakeApi, ok } from '@/test/fakeApi'

const BASE = '/api/v1/users/u1/contact-methods'
const method = (id: string, type: string, verified: boolean) => ({
  id,
  user_id: 'u1',
  type,
  address: type === 'apprise' ? 'ntfys://ntfy.example.com/rita' : 'rita@example.com',
  label: null,
  verified,
  verified_at: verified ? '2026-12-01T00:00:00Z' : null,
  created_at: '2026-12-01T00:00:00Z',
  updated_at: '2026-12-01T00:00:00Z',
})
const page = (items: unknown[]) => ok({ items, total: items.length, page: 1, page_size: 100 })

describe('ContactMethodList', () => {
  beforeEach(() => vi.unstubAllGlobals())

  it('tests a method and verifies a push method with the code sent to it', async () => {
    const { calls } = fakeApi({
      [`GET ${BASE}`]: page([method('m1', 'email', true), method('m2', 'apprise', false)]),
      [`POST ${BASE}/m1/test`]: ok({ notification_id: 'n1', delivery: 'sent', last_error: null }),
      [`POST ${BASE}/m2/verification`]: ok({ expires_at: '2026-12-03T10:10:00Z', notification_id: 'n2', delivery: 'sent' }, 202),
      [`POST ${BASE}/m2/verification/confirm`]: ok(method('m2', 'apprise', true)),
    })
    const wrapper = mount(ContactMethodList, { props: { userId: 'u1' } })
    await flushPromises()
    const rows = () => wrapper.findAll('[data-test=contact-method]')
    expect(rows()).toHaveLength(2)
    expect(rows()[0].find('[data-test=send-code]').exists()).toBe(false)

    await rows()[0].get('[data-test=test-method]').trigger('click')
    await flushPromises()
    expect(rows()[0].text()).toContain('Test sent.')

    await rows()[1].get('[data-test=send-code]').trigger('click')
    await flushPromises()
    await rows()[1].get('input[name=code]').setValue(' 042137 ')
    await rows()[1].get('form').trigger('submit')
    await flushPromises()
    expect(calls.at(-1)?.body).toEqual({ code: '042137' })
    expect(rows()[1].text()).toContain('verified')
    expect(rows()[1].text()).toContain('Verified: paging may use it.')
  })

  it("adds and removes a method, and shows the platform's refusal of an address", async () => {
    let items = [method('m1', 'email', true)]
    fakeApi({
      [`GET ${BASE}`]: () => page(items)(),
      [`POST ${BASE}`]: (call) =>
        call.body.address === 'bogus://x'
          ? fail(422, 'Unprocessable Entity', { json: { address: ['bogus:// is not a supported Apprise service.'] } })()
          : { status: 201, body: { ...method('m3', call.body.type, true), address: call.body.address } },
      [`DELETE ${BASE}/m1`]: () => {
        items = []
        return { status: 204 }
      },
    })
    const wrapper = mount(ContactMethodList, { props: { userId: 'u1' } })
    await flushPromises()
    const form = wrapper.get('[data-test=contact-method-form]')
    await form.get('select[name=type]').setValue('apprise')
    await form.get('input[name=address]').setValue('bogus://x')
    await form.trigger('submit')
    await flushPromises()
    expect(form.text()).toContain('bogus:// is not a supported Apprise service.')

    await form.get('select[name=type]').setValue('log')
    await form.get('input[name=address]').setValue('rita-log')
    await form.trigger('submit')
    await flushPromises()
    expect(wrapper.findAll('[data-test=contact-method]')).toHaveLength(2)
    await wrapper.findAll('[data-test=remove-method]')[0].trigger('click')
    await flushPromises()
    expect(wrapper.findAll('[data-test=contact-method]').map((r) => r.attributes('data-type'))).toEqual(['log'])
  })
})
