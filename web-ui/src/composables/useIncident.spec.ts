import { afterEach, describe, expect, it } from 'vitest'
import { effectScope } from 'vue'
import { fail, fakeApi, ok } from '@/test/fakeApi'
import { makeDetail } from '@/test/factories'
import { useIncident } from './useIncident'
import { useOperator } from './useOperator'

const ID = '6f1c2b9e-0000-4000-8000-000000000001'
const PATH = `/api/v1/incidents/${ID}`

describe('useIncident', () => {
  let scope = effectScope()
  afterEach(() => scope.stop())

  function open() {
    scope = effectScope()
    return scope.run(() => useIncident(ID, 60000))!
  }

  it('moves the status forward as the operator and reloads', async () => {
    let status = 'open'
    const { calls } = fakeApi({
      [`GET ${PATH}`]: () => ({ body: makeDetail({ status: status as never }) }),
      [`PATCH ${PATH}`]: ({ body }) => {
        status = body.status
        return { body: {} }
      },
    })
    useOperator().operator.value = 'Alice'
    const incident = open()
    await incident.ready
    expect(incident.canMoveTo('acknowledged')).toBe(true)

    expect(await incident.moveTo('acknowledged')).toBe(true)
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ status: 'acknowledged', actor: 'Alice' })
    expect(incident.incident.value?.status).toBe('acknowledged')
    expect(incident.canMoveTo('acknowledged')).toBe(false)
    expect(incident.canMoveTo('resolved')).toBe(true)
  })

  it("shows the service's refusal instead of swallowing it", async () => {
    const { calls } = fakeApi({
      [`GET ${PATH}`]: ok(makeDetail({ status: 'resolved' })),
      'POST /api/v1/escalate': fail(409, 'incident is resolved: nothing to escalate'),
    })
    const incident = open()
    await incident.ready
    expect(incident.canEscalate.value).toBe(false)
    expect(await incident.escalate()).toBe(false)
    expect(incident.actionError.value).toBe('incident is resolved: nothing to escalate (HTTP 409)')
    expect(incident.busy.value).toBeNull()
    // ...and the page shows the incident as it is now.
    expect(calls.filter((c) => c.method === 'GET')).toHaveLength(2)
  })

  it('turns Escalate off at the last step of the escalation policy', async () => {
    const state = {
      policy: 'payments default',
      team: 'payments',
      urgency: 'high',
      step: 1,
      round: 0,
      step_label: 'the secondary on call for payments',
      next_escalation_at: null,
    }
    fakeApi({ [`GET ${PATH}`]: ok(makeDetail({ escalation: { ...state, final: true } })) })
    const last = open()
    await last.ready
    expect(last.canEscalate.value).toBe(false)
    scope.stop()
    fakeApi({ [`GET ${PATH}`]: ok(makeDetail({ escalation: { ...state, step: 0, final: false } })) })
    const first = open()
    await first.ready
    expect(first.canEscalate.value).toBe(true)
  })

  it('adds a note with its author', async () => {
    const { calls } = fakeApi({
      [`GET ${PATH}`]: ok(makeDetail()),
      [`POST ${PATH}/notes`]: ok({ id: 'n1' }, 201),
    })
    const incident = open()
    await incident.ready
    expect(await incident.addNote('Rolled back deploy 42', 'Bob')).toBe(true)
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ author: 'Bob', content: 'Rolled back deploy 42' })
  })

  it.each([404, 400])('reports an unknown incident (%i) as not found', async (status) => {
    fakeApi({ [`GET ${PATH}`]: fail(status, 'incident not found') })
    const incident = open()
    await incident.ready
    expect(incident.notFound.value).toBe(true)
    expect(incident.error.value).toBeNull()
  })

  it('keeps other load failures as errors', async () => {
    fakeApi({ [`GET ${PATH}`]: fail(502, 'incident-management is unavailable, try again shortly') })
    const incident = open()
    await incident.ready
    expect(incident.notFound.value).toBe(false)
    expect(incident.error.value?.message).toMatch(/unavailable/)
  })
})
