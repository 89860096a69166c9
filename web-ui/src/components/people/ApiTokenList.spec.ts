import { flushPromises, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import ApiTokenList from './ApiTokenList.vue'
import { fakeApi, ok } from '@/test/fakeApi'

const TOKEN = {
  id: 't1',
  name: 'deploy',
  prefix: 'ipt_abcdef',
  role: 'responder',
  user_id: 'u1',
  source: 'api',
  created_at: '2026-12-01T09:00:00Z',
  last_used_at: null,
  expires_at: null,
  revoked_at: null,
}

describe('ApiTokenList', () => {
  beforeEach(() => vi.unstubAllGlobals())

  it('creates a token, shows its value once with a copy button, and lists it', async () => {
    const value = 'ipt_the-whole-secret-value' // pragma: allowlist secret
    let listed: unknown[] = []
    const { calls } = fakeApi({
      'GET /api/v1/tokens': () => ({ body: { items: listed, total: listed.length, page: 1, page_size: 100 } }),
      'POST /api/v1/tokens': (call) => {
        listed = [{ ...TOKEN, name: call.body.name }]
        return { status: 201, body: { ...TOKEN, name: call.body.name, token: value } }
      },
    })
    const writeText = vi.fn(async () => undefined)
    vi.stubGlobal('navigator', { clipboard: { writeText } })
    const wrapper = mount(ApiTokenList, { props: { userId: 'u1', role: 'responder' } })
    await flushPromises()
    expect(calls[0].query.get('user_id')).toBe('u1')
    expect(wrapper.findAll('select[name=token_role] option').map((o) => o.text())).toEqual(['viewer', 'responder'])

    await wrapper.get('input[name=token_name]').setValue(' deploy ')
    await wrapper.get('[data-test=token-form]').trigger('submit')
    await flushPromises()
    expect(calls[1].body).toEqual({ name: 'deploy', role: 'responder' })
    expect((wrapper.get('[data-test=secret-value]').element as HTMLInputElement).value).toBe(value)
    await wrapper.get('[data-test=copy-secret]').trigger('click')
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith(value)
    expect(wrapper.get('[data-test=copy-secret]').text()).toBe('Copied')
    expect(wrapper.get('[data-test=token]').text()).toContain('deploy')
    expect(wrapper.get('[data-test=token-last-used]').text()).toBe('never')

    await wrapper.get('[data-test=secret-done]').trigger('click')
    expect(wrapper.find('[data-test=secret-once]').exists()).toBe(false)
    expect(wrapper.html()).not.toContain(value)
  })

  it('revokes a token and shows when it was last used', async () => {
    const used = { ...TOKEN, last_used_at: '2026-12-02T10:00:00Z' }
    fakeApi({
      'GET /api/v1/tokens': ok({ items: [used], total: 1, page: 1, page_size: 100 }),
      'DELETE /api/v1/tokens/t1': ok({ ...used, revoked_at: '2026-12-03T10:00:00Z' }),
    })
    const wrapper = mount(ApiTokenList, { props: { userId: 'u1', role: 'viewer' } })
    await flushPromises()
    expect(wrapper.get('[data-test=token-last-used]').text()).toContain('2026')
    await wrapper.get('[data-test=revoke-token]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-test=token]').attributes('data-revoked')).toBe('yes')
    expect(wrapper.find('[data-test=revoke-token]').exists()).toBe(false)
  })
})
