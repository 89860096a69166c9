import { describe, expect, it } from 'vitest'
import { ApiError, queryString, request } from './client'
import { fail, fakeApi, ok } from '@/test/fakeApi'

describe('queryString', () => {
  it.each([
    [{}, ''],
    [{ team: 'payments' }, '?team=payments'],
    [{ status: ['open', 'acknowledged'] }, '?status=open%2Cacknowledged'],
    [{ severity: undefined, service: '', page: 2 }, '?page=2'],
    [{ status: [] }, ''],
  ])('%j -> %s', (query, expected) => {
    expect(queryString(query as never)).toBe(expected)
  })
})

/** The ApiError a request fails with (the test fails if it succeeds). */
async function failure(pending: Promise<unknown>): Promise<ApiError> {
  const outcome = await pending.then(
    () => null,
    (e: unknown) => e,
  )
  expect(outcome).toBeInstanceOf(ApiError)
  return outcome as ApiError
}

describe('request', () => {
  it('sends JSON and returns the parsed answer', async () => {
    const { calls } = fakeApi({ 'PATCH /api/v1/incidents/1': ({ body }) => ({ body: { id: '1', ...body } }) })
    const answer = await request<{ id: string; status: string }>('PATCH', '/api/v1/incidents/1', { status: 'resolved' })
    expect(answer).toEqual({ id: '1', status: 'resolved' })
    expect(calls[0]).toMatchObject({ method: 'PATCH', body: { status: 'resolved' } })
  })

  it("turns an error answer into an ApiError with the service's message", async () => {
    fakeApi({
      'PATCH /api/v1/incidents/1': fail(409, 'cannot move incident from resolved back to open'),
    })
    const error = await failure(request('PATCH', '/api/v1/incidents/1', { status: 'open' }))
    expect(error.status).toBe(409)
    expect(error.message).toBe('cannot move incident from resolved back to open (HTTP 409)')
  })

  it('flattens 422 field errors to paths', async () => {
    fakeApi({
      'POST /api/v1/schedules': fail(422, 'Unprocessable Entity', {
        json: { team: ['Missing data for required field.'], members: { '1': { email: ['Not a valid email address.'] } } },
      }),
    })
    const error = await failure(request('POST', '/api/v1/schedules', {}))
    expect(error.fieldErrors()).toEqual({
      team: 'Missing data for required field.',
      'members.1.email': 'Not a valid email address.',
    })
  })

  it('names the request when the network fails', async () => {
    fakeApi({
      'GET /api/v1/incidents': () => {
        throw new TypeError('Failed to fetch')
      },
    })
    const error = await failure(request('GET', '/api/v1/incidents'))
    expect(error.status).toBe(0)
    expect(error.message).toBe('GET /api/v1/incidents failed: network error')
  })

  it('uses the status text when an error has no JSON body', async () => {
    fakeApi({ 'GET /api/v1/incidents': ok(null, 503) })
    const error = await failure(request('GET', '/api/v1/incidents'))
    expect(error.status).toBe(503)
    expect(error.message).toMatch(/HTTP 503/)
  })
})
