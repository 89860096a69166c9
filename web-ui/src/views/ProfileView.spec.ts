import { flushPromises, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import ProfileView from './ProfileView.vue'
import { useSession } from '@/composables/useSession'
import { fakeApi, ok } from '@/test/fakeApi'
import { viewerZone } from '@/utils/format'

const USER = { id: 'u1', name: 'Rita', email: 'rita@example.com', role: 'responder' as const, timezone: 'UTC' }
const empty = ok({ items: [], total: 0, page: 1, page_size: 100 })
const DELIVERY = {
  id: 'n1',
  kind: 'incident',
  incident_id: 'i9',
  person: 'rita@example.com',
  channel: 'apprise',
  status: 'failed',
  last_error: 'HTTP 500 from ntfy',
  created_at: '2026-12-03T13:05:00Z',
}

async function mountProfile() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:any(.*)', component: ProfileView }],
  })
  await router.push('/profile')
  const wrapper = mount(ProfileView, { global: { plugins: [router] } })
  await flushPromises()
  return wrapper
}

describe('ProfileView', () => {
  beforeEach(() => {
    vi.unstubAllGlobals()
    useSession().update(USER)
  })

  it("shows the user's record, contact methods, tokens and deliveries to them", async () => {
    const { calls } = fakeApi({
      'GET /api/v1/users/u1/contact-methods': empty,
      'GET /api/v1/tokens': empty,
      'GET /api/v1/notifications': ok({ items: [DELIVERY], total: 1, page: 1, page_size: 20 }),
      'GET /api/v1/users/u1/notification-rules': ok({ items: [], uses_default: true }),
    })
    const wrapper = await mountProfile()
    // The notification rules are on the profile too, with nothing refused.
    expect(wrapper.get('[data-test=notification-rules]').find('[data-test=rules-default]').exists()).toBe(true)
    expect(wrapper.find('[data-test=rules-error]').exists()).toBe(false)
    expect((wrapper.get('[data-test=profile-email]').element as HTMLInputElement).value).toBe('rita@example.com')
    expect((wrapper.get('[data-test=profile-role]').element as HTMLInputElement).value).toBe('responder')
    expect(calls.find((c) => c.path === '/api/v1/notifications')?.query.get('person')).toBe('rita@example.com')
    const delivery = wrapper.get('[data-test=delivery]')
    expect(delivery.attributes('data-status')).toBe('failed')
    expect(delivery.text()).toContain('apprise')
    expect(delivery.text()).toContain('HTTP 500 from ntfy')
    expect(delivery.get('a').attributes('href')).toBe('/incidents/i9')
  })

  it('saves a new time zone: the session and every time shown follow it', async () => {
    const { calls } = fakeApi({
      'GET /api/v1/users/u1/contact-methods': empty,
      'GET /api/v1/tokens': empty,
      'GET /api/v1/notifications': empty,
      'PATCH /api/v1/users/u1': (call) => ({ body: { ...USER, ...call.body, active: true } }),
    })
    const wrapper = await mountProfile()
    await wrapper.get('select[name=timezone]').setValue('Europe/Berlin')
    await wrapper.get('[data-test=profile-form]').trigger('submit')
    await flushPromises()
    expect(calls.at(-1)?.body).toEqual({ name: 'Rita', timezone: 'Europe/Berlin' })
    expect(useSession().user.value?.timezone).toBe('Europe/Berlin')
    expect(viewerZone.value).toBe('Europe/Berlin')
    expect(wrapper.get('[data-test=profile-status]').text()).toBe('Saved.')
  })

  it('refuses a password change whose repetition differs, without asking the platform', async () => {
    const { calls } = fakeApi({
      'GET /api/v1/users/u1/contact-methods': empty,
      'GET /api/v1/tokens': empty,
      'GET /api/v1/notifications': empty,
    })
    const wrapper = await mountProfile()
    await wrapper.get('input[name=current_password]').setValue('the old one is long')
    await wrapper.get('input[name=new_password]').setValue('a brand new password')
    await wrapper.get('input[name=repeat_password]').setValue('a brand new passw0rd')
    await wrapper.get('[data-test=password-form]').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-test=password-status]').text()).toContain('differ')
    expect(calls.some((c) => c.path === '/api/v1/auth/password')).toBe(false)
  })
})
