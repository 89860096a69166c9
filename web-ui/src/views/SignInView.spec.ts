import { flushPromises, mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import SignInView from './SignInView.vue'
import { fail, fakeApi, ok } from '@/test/fakeApi'

const PASSWORD = 'a long enough password' // pragma: allowlist secret
const USER = { id: 'u1', name: 'Rita', email: 'rita@example.com', role: 'responder', timezone: 'UTC' }

async function page(next = '/incidents/42') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', component: SignInView },
      { path: '/:any(.*)', component: { template: '<p>page</p>' } },
    ],
  })
  await router.push({ path: '/login', query: { next } })
  const wrapper = mount(SignInView, { global: { plugins: [router] } })
  return { wrapper, router }
}

describe('SignInView', () => {
  it('signs in and goes back to the page that asked', async () => {
    const { calls } = fakeApi({ 'POST /api/v1/auth/login': ok({ user: USER, csrf_token: 'c', expires_at: 'x' }) })
    const { wrapper, router } = await page()
    await wrapper.find('input[name=email]').setValue(' rita@example.com ')
    await wrapper.find('input[name=password]').setValue(PASSWORD)
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(calls[0].body).toEqual({ email: 'rita@example.com', password: PASSWORD })
    expect(router.currentRoute.value.fullPath).toBe('/incidents/42')
  })

  it("shows the platform's refusal (wrong password, lockout) and stays", async () => {
    fakeApi({ 'POST /api/v1/auth/login': fail(429, 'too many failed sign-ins for rita@example.com: try again in 300 seconds') })
    const { wrapper, router } = await page('//evil.example')
    await wrapper.find('input[name=email]').setValue('rita@example.com')
    await wrapper.find('input[name=password]').setValue('guess')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[role=alert]').text()).toContain('too many failed sign-ins')
    expect(router.currentRoute.value.path).toBe('/login')
  })
})
