import { beforeEach, describe, expect, it, vi } from 'vitest'
import { fail, fakeApi, ok } from '@/test/fakeApi'

const PASSWORD = 'a long enough password' // pragma: allowlist secret
const USER = { id: 'u1', name: 'Rita', email: 'rita@example.com', role: 'responder', timezone: 'UTC' }

async function fresh() {
  vi.resetModules() // the session is module state: each test starts signed out
  const { useSession } = await import('./useSession')
  const { request } = await import('@/api/client')
  return { session: useSession(), request }
}

describe('useSession', () => {
  beforeEach(() => vi.unstubAllGlobals())

  it('knows a signed-in user and sends their CSRF token with state changes only', async () => {
    const { calls } = fakeApi({
      'GET /api/v1/auth/me': ok({ principal: { kind: 'user', role: 'responder' }, user: USER, csrf_token: 'c1' }),
      'PATCH /api/v1/incidents/1': ok({}),
      'GET /api/v1/incidents': ok({ items: [] }),
    })
    const { session, request } = await fresh()
    await session.load()
    expect(session.user.value).toEqual(USER)
    expect(session.needsSignIn.value).toBe(false)
    await request('PATCH', '/api/v1/incidents/1', { status: 'acknowledged' })
    await request('GET', '/api/v1/incidents')
    expect(calls[1].headers['X-CSRF-Token']).toBe('c1')
    expect(calls[2].headers['X-CSRF-Token']).toBeUndefined()
  })

  it('asks for a sign-in on 401, and signing in keeps the new token', async () => {
    const { calls } = fakeApi({
      'GET /api/v1/auth/me': fail(401, 'authentication required'),
      'POST /api/v1/auth/login': ok({ user: USER, csrf_token: 'c2', expires_at: '2030-01-01T00:00:00Z' }),
      'POST /api/v1/notes': ok({}),
    })
    const { session, request } = await fresh()
    await session.load()
    expect(session.needsSignIn.value).toBe(true)
    await session.signIn('rita@example.com', PASSWORD)
    expect(calls[1].body).toEqual({ email: 'rita@example.com', password: PASSWORD })
    expect(session.user.value?.name).toBe('Rita')
    await request('POST', '/api/v1/notes', {})
    expect(calls[2].headers['X-CSRF-Token']).toBe('c2')
  })

  it('without auth on the platform nobody signs in', async () => {
    fakeApi({ 'GET /api/v1/auth/me': ok({ principal: { kind: 'anonymous', role: 'admin' }, user: null, csrf_token: null }) })
    const { session } = await fresh()
    await session.load()
    expect(session.needsSignIn.value).toBe(false)
    expect(session.authRequired.value).toBe(false)
  })

  it('signing out forgets the user and the token', async () => {
    const { calls } = fakeApi({
      'GET /api/v1/auth/me': ok({ principal: { kind: 'user' }, user: USER, csrf_token: 'c3' }),
      'POST /api/v1/auth/logout': ok(null, 204),
      'DELETE /api/v1/tokens/1': ok(null, 204),
    })
    const { session, request } = await fresh()
    await session.load()
    await session.signOut()
    expect(session.user.value).toBeNull()
    expect(calls[1].headers['X-CSRF-Token']).toBe('c3')
    await request('DELETE', '/api/v1/tokens/1')
    expect(calls[2].headers['X-CSRF-Token']).toBeUndefined()
  })
})
