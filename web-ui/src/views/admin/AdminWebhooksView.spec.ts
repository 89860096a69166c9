import { flushPromises, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { routes } from '@/router'
import App from '@/App.vue'
import { useSession } from '@/composables/useSession'
import { fail, fakeApi, ok } from '@/test/fakeApi'

const page = (items: unknown[]) => ok({ items, total: items.length, page: 1, page_size: 25 })
const base = '/api/v1/webhook-subscriptions'
const subscription = {
  id: 'w1',
  team: 'payments',
  url: 'https://hooks.example.com/in',
  event_types: ['incident.opened', 'incident.resolved'],
  service: null,
  description: null,
  enabled: true,
  created_by: 'admin',
  created_at: '2026-12-03T10:00:00Z',
  updated_at: '2026-12-03T10:00:00Z',
}
const delivery = {
  id: 'd1',
  subscription_id: 'w1',
  event_id: 'e1',
  event_type: 'webhook.test',
  incident_id: null,
  status: 'failed',
  attempts: 3,
  last_status_code: 500,
  last_error: 'receiver answered 500 Internal Server Error',
  next_attempt_at: null,
  created_at: '2026-12-03T10:00:00Z',
  last_attempt_at: '2026-12-03T10:00:05Z',
  finished_at: '2026-12-03T10:00:05Z',
}

async function open(path: string) {
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push(path)
  const wrapper = mount(App, { global: { plugins: [router] }, attachTo: document.body })
  await flushPromises()
  await vi.dynamicImportSettled()
  await flushPromises()
  return wrapper
}

function signedInAsAdmin() {
  const session = useSession()
  session.update({ id: 'u1', name: 'Admin', email: 'admin@example.com', role: 'admin', timezone: 'UTC' })
  session.authRequired.value = true
  session.checked.value = true
}

const common = { 'GET /ui-config.json': ok({ grafana_url: '' }), 'GET /api/v1/incidents/events': ok(null) }

describe('the webhooks admin page', () => {
  beforeEach(() => vi.unstubAllGlobals())

  it('creates a subscription with the events ticked and shows its secret once', async () => {
    signedInAsAdmin()
    const secret = 'whsec_the-secret-shown-once' // pragma: allowlist secret
    const { calls } = fakeApi({
      ...common,
      [`GET ${base}`]: page([]),
      [`POST ${base}`]: ok({ ...subscription, secret }, 201),
      [`GET ${base}/w1/deliveries`]: page([]),
    })
    const wrapper = await open('/admin/webhooks')
    expect(wrapper.get('[data-test=no-webhooks]').text()).toContain('No subscription')
    await wrapper.get('input[name=team]').setValue('payments')
    await wrapper.get('input[name=url]').setValue('https://hooks.example.com/in')
    for (const event of ['incident.acknowledged', 'incident.escalated', 'incident.note_added']) {
      await wrapper.get(`input[data-event="${event}"]`).setValue(false)
    }
    await wrapper.get('[data-test=webhook-form]').trigger('submit')
    await flushPromises()
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      team: 'payments',
      url: 'https://hooks.example.com/in',
      service: null,
      event_types: ['incident.opened', 'incident.resolved'],
    })
    expect((wrapper.get('[data-test=secret-value]').element as HTMLInputElement).value).toBe(secret)
    await wrapper.get('[data-test=secret-done]').trigger('click')
    expect(wrapper.find('[data-test=secret-once]').exists()).toBe(false)
    wrapper.unmount()
  }, 15_000)

  it('says why a URL is refused', async () => {
    signedInAsAdmin()
    fakeApi({ ...common, [`GET ${base}`]: page([]), [`POST ${base}`]: fail(422, 'url refused: 10.0.0.1 is a private address') })
    const wrapper = await open('/admin/webhooks')
    await wrapper.get('input[name=team]').setValue('payments')
    await wrapper.get('input[name=url]').setValue('http://10.0.0.1/')
    await wrapper.get('[data-test=webhook-form]').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-test=webhook-error]').text()).toContain('private address')
    wrapper.unmount()
  }, 15_000)

  it('disables, sends a test event and shows the delivery log', async () => {
    signedInAsAdmin()
    const { calls } = fakeApi({
      ...common,
      [`GET ${base}`]: page([subscription]),
      [`PATCH ${base}/w1`]: (call) => ({ body: { ...subscription, ...call.body } }),
      [`POST ${base}/w1/test`]: ok({ ...delivery, status: 'pending', attempts: 0 }, 202),
      [`GET ${base}/w1/deliveries`]: page([delivery]),
    })
    const wrapper = await open('/admin/webhooks')
    await wrapper.get('[data-test=toggle-webhook]').trigger('click')
    await flushPromises()
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ enabled: false })
    expect(wrapper.get('[data-test=webhook-row]').attributes('data-enabled')).toBe('no')
    await wrapper.get('[data-test=test-webhook]').trigger('click')
    await flushPromises()
    const row = wrapper.get('[data-test=delivery-row]')
    expect(row.attributes('data-status')).toBe('failed')
    expect(row.text()).toContain('HTTP 500')
    wrapper.unmount()
  }, 15_000)
})
