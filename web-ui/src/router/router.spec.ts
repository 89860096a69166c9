import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { START_LOCATION } from 'vue-router'
import { fail, fakeApi } from '@/test/fakeApi'

describe('createAppRouter', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('lets a 401 that comes before the first page is shown not send the sign-in page elsewhere', async () => {
    vi.resetModules() // the session is module state
    fakeApi({ 'GET /api/v1/incidents': fail(401, 'authentication required') })
    const { createAppRouter } = await import('@/router')
    const { request } = await import('@/api/client')
    const router = createAppRouter()
    const first = router.push('/login?next=/incidents/42') // the app opens the sign-in page it was sent to
    expect(router.currentRoute.value).toBe(START_LOCATION) // its lazily loaded page is on its way
    // The header's open count is refused meanwhile.
    await expect(request('GET', '/api/v1/incidents')).rejects.toThrow('authentication required')
    await first
    await vi.dynamicImportSettled()
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/login?next=/incidents/42')
  })
})
