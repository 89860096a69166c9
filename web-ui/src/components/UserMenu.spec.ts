import { flushPromises, mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import UserMenu from './UserMenu.vue'

const USER = { id: 'u1', name: 'Rita', email: 'rita@example.com', role: 'responder' as const, timezone: 'UTC' }

async function menu(admin: boolean) {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:any(.*)', component: { template: '<p/>' } }] })
  await router.push('/')
  const wrapper = mount(UserMenu, { props: { user: USER, admin }, global: { plugins: [router] }, attachTo: document.body })
  return { wrapper, router }
}

describe('UserMenu', () => {
  it("opens on the user's name with Profile and Sign out, and closes on a click elsewhere", async () => {
    const { wrapper } = await menu(false)
    expect(wrapper.get('[data-test=user-menu]').text()).toContain('Rita')
    expect(wrapper.find('[role=menu]').exists()).toBe(false)
    await wrapper.get('[data-test=user-menu]').trigger('click')
    expect(wrapper.get('[data-test=menu-profile]').attributes('href')).toBe('/profile')
    expect(wrapper.find('[data-test=menu-admin]').exists()).toBe(false)
    document.body.click()
    await flushPromises()
    expect(wrapper.find('[role=menu]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('offers the admin pages to admins and signs out', async () => {
    const { wrapper } = await menu(true)
    await wrapper.get('[data-test=user-menu]').trigger('click')
    expect(wrapper.get('[data-test=menu-admin]').attributes('href')).toBe('/admin/users')
    await wrapper.get('[data-test=sign-out]').trigger('click')
    expect(wrapper.emitted('signOut')).toHaveLength(1)
    wrapper.unmount()
  })
})
