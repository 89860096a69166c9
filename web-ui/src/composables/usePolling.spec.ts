import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { usePolling } from './usePolling'

function setHidden(hidden: boolean) {
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden })
  document.dispatchEvent(new Event('visibilitychange'))
}

describe('usePolling', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => {
    vi.useRealTimers()
    setHidden(false)
  })

  it('loads at once, then every interval, and stops with its scope', async () => {
    const load = vi.fn(async () => {})
    const scope = effectScope()
    const polling = scope.run(() => usePolling(load, 1000))!
    await polling.ready
    expect(load).toHaveBeenCalledTimes(1)
    expect(polling.lastUpdated.value).not.toBeNull()

    await vi.advanceTimersByTimeAsync(3000)
    expect(load).toHaveBeenCalledTimes(4)

    scope.stop()
    await vi.advanceTimersByTimeAsync(5000)
    expect(load).toHaveBeenCalledTimes(4)
  })

  it('keeps the error for display and clears it on the next success', async () => {
    let failing = true
    const load = vi.fn(async () => {
      if (failing) throw new Error('incident management is unavailable')
    })
    const scope = effectScope()
    const polling = scope.run(() => usePolling(load, 1000))!
    await polling.ready
    expect(polling.error.value?.message).toBe('incident management is unavailable')
    expect(polling.lastUpdated.value).toBeNull()

    failing = false
    await polling.refresh()
    expect(polling.error.value).toBeNull()
    scope.stop()
  })

  it('does not poll a hidden tab, and catches up when it is shown', async () => {
    const load = vi.fn(async () => {})
    const scope = effectScope()
    const polling = scope.run(() => usePolling(load, 1000))!
    await polling.ready
    setHidden(true)
    await vi.advanceTimersByTimeAsync(5000)
    expect(load).toHaveBeenCalledTimes(1)

    setHidden(false)
    await vi.advanceTimersByTimeAsync(0)
    expect(load).toHaveBeenCalledTimes(2)
    scope.stop()
  })

  it('never runs two loads at once', async () => {
    let release!: () => void
    const load = vi.fn(() => new Promise<void>((resolve) => (release = resolve)))
    const scope = effectScope()
    const polling = scope.run(() => usePolling(load, 1000))!
    void polling.refresh()
    void polling.refresh()
    expect(load).toHaveBeenCalledTimes(1)
    release()
    await polling.ready
    scope.stop()
  })
})

describe('usePolling refresh during a load', () => {
  it('loads once more after the running load, so a change during it is not missed', async () => {
    let release: () => void = () => undefined
    const load = vi.fn(() => new Promise<void>((resolve) => (release = resolve)))
    const scope = effectScope()
    const polling = scope.run(() => usePolling(load, 60000))!
    void polling.refresh()
    void polling.refresh()
    expect(load).toHaveBeenCalledTimes(1)
    release()
    await vi.waitFor(() => expect(load).toHaveBeenCalledTimes(2))
    release()
    scope.stop()
  })
})
