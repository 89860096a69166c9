import { flushPromises, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { routes } from '@/router'
import App from '@/App.vue'
import { useSession } from '@/composables/useSession'
import { fakeApi, ok } from '@/test/fakeApi'

const page = (items: unknown[]) => ok({ items, total: items.length, page: 1, page_size: 25 })
const person = (role: 'viewer' | 'responder' | 'admin') => ({
  id: `u-${role}`,
  name: `${role} person`,
  email: `${role}@example.com`,
  role,
  timezone: 'UTC',
  active: true,
})

async function open(path: string) {
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push(path)
  const wrapper = mount(App, { global: { plugins: [router] }, attachTo: document.body })
  await flushPromises()
  await vi.dynamicImportSettled()
  await flushPromises()
  return { wrapper, router }
}

function signedInAs(role: 'viewer' | 'responder' | 'admin') {
  const session = useSession()
  session.update(person(role))
  session.authRequired.value = true
  session.checked.value = true
}

const common = {
  'GET /ui-config.json': ok({ grafana_url: '' }),
  'GET /api/v1/incidents/events': ok(null),
}

describe('admin pages', () => {
  beforeEach(() => vi.unstubAllGlobals())

  it('are refused to a viewer with a clear page, and never asked for', async () => {
    signedInAs('viewer')
    const { calls } = fakeApi(common)
    const { wrapper } = await open('/admin/users')
    expect(wrapper.get('[data-test=needs-admin]').text()).toContain('needs the admin role')
    expect(wrapper.get('[data-test=needs-admin]').text()).toContain('viewer')
    expect(calls.some((c) => c.path === '/api/v1/users')).toBe(false)
    expect(wrapper.find('nav[aria-label=Main]').text()).not.toContain('Admin')
    wrapper.unmount()
  }, 15_000)

  it('let an admin change a role and deactivate a user', async () => {
    signedInAs('admin')
    const responder = person('responder')
    const { calls } = fakeApi({
      ...common,
      'GET /api/v1/users': page([responder]),
      'PATCH /api/v1/users/u-responder': (call) => ({ body: { ...responder, ...call.body } }),
      'DELETE /api/v1/users/u-responder': ok({ ...responder, role: 'viewer', active: false }),
    })
    const { wrapper } = await open('/admin/users')
    expect(wrapper.find('nav[aria-label=Main]').text()).toContain('Admin')
    const row = () => wrapper.get('[data-test=user-row]')
    await row().get('select[name=user_role]').setValue('viewer')
    await flushPromises()
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ role: 'viewer' })
    await row().get('[data-test=deactivate]').trigger('click')
    await flushPromises()
    expect(row().attributes('data-active')).toBe('false')
    expect(row().find('[data-test=reactivate]').exists()).toBe(true)
    wrapper.unmount()
  }, 15_000)

  it('show a new integration key once, and revoke keys', async () => {
    signedInAs('admin')
    const key = { id: 'k1', name: 'prom', source: 'alertmanager', service: null, team: 'payments', prefix: 'ipk_123456' }
    const secret = 'ipk_123456-the-rest-of-the-key' // pragma: allowlist secret
    const { calls } = fakeApi({
      ...common,
      'GET /api/v1/integration-keys': page([key]),
      'POST /api/v1/integration-keys': ok({ ...key, key: secret }, 201),
      'POST /api/v1/integration-keys/k1/revoke': ok({ ...key, revoked_at: '2026-12-03T10:00:00Z' }),
    })
    const { wrapper } = await open('/admin/integration-keys')
    await wrapper.get('input[name=key_name]').setValue('prom')
    await wrapper.get('input[name=team]').setValue('payments')
    await wrapper.get('[data-test=key-form]').trigger('submit')
    await flushPromises()
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'prom',
      source: 'alertmanager',
      service: null,
      team: 'payments',
    })
    expect((wrapper.get('[data-test=secret-value]').element as HTMLInputElement).value).toBe(secret)
    await wrapper.get('[data-test=revoke-key]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-test=key-row]').attributes('data-revoked')).toBe('yes')
    wrapper.unmount()
  }, 15_000)

  it("read each service's audit trail with the filters given", async () => {
    signedInAs('admin')
    const event = {
      id: 1,
      at: '2026-12-03T10:00:00Z',
      actor: 'rita@example.com',
      client_address: '127.0.0.1',
      action: 'update',
      record_type: 'incidents',
      record_id: 'i1',
      before: { status: 'open' },
      after: { status: 'acknowledged' },
    }
    const { calls } = fakeApi({
      ...common,
      'GET /api/v1/audit/incidents': page([event]),
      'GET /api/v1/audit/oncall': page([]),
      'GET /api/v1/users': page([]),
    })
    const { wrapper } = await open('/admin/audit')
    expect(wrapper.get('[data-test=audit-entry]').text()).toContain('rita@example.com')
    expect(wrapper.get('[data-test=audit-entry] details').text()).toContain('"acknowledged"')
    await wrapper.get('input[name=actor]').setValue('admin@localhost')
    await wrapper.get('select[name=area]').setValue('oncall')
    await flushPromises()
    const asked = calls.filter((c) => c.path === '/api/v1/audit/oncall').at(-1)
    expect(asked?.query.get('actor')).toBe('admin@localhost')
    expect(wrapper.get('[data-test=audit-empty]').text()).toBe('No records match.')
    wrapper.unmount()
  }, 15_000)

  it('let an admin add a member to a team', async () => {
    signedInAs('admin')
    const team = { id: 't1', name: 'payments', description: null, active: true, members: [] }
    const { calls } = fakeApi({
      ...common,
      'GET /api/v1/teams': page([team]),
      'GET /api/v1/users': page([person('responder')]),
      'PATCH /api/v1/teams/t1': (call) => ({
        body: { ...team, members: [{ user_id: call.body.members[0], name: 'responder person', email: 'r@x', role: 'responder', active: true }] },
      }),
    })
    const { wrapper } = await open('/admin/teams')
    await wrapper.get('select[name=member]').setValue('u-responder')
    await wrapper.get('[data-test=team] form').trigger('submit')
    await flushPromises()
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ members: ['u-responder'] })
    expect(wrapper.get('[data-test=team-member]').text()).toContain('responder person')
    wrapper.unmount()
  }, 15_000)
})
