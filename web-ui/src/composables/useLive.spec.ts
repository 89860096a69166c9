import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { FakeEventSource } from '@/test/fakeEventSource'
import { coalesce, liveStatus, STALE_MS, useLive, type IncidentChange } from './useLive'

const change: IncidentChange = {
  id: 'inc-1',
  change: 'created',
  title: 'db down',
  service: 'db',
  severity: 'critical',
  status: 'open',
  updated_at: '2026-12-02T16:00:00Z',
}

describe('useLive', () => {
  let scope = effectScope()
  beforeEach(() => {
    vi.useFakeTimers()
    FakeEventSource.made = []
    vi.stubGlobal('EventSource', FakeEventSource)
  })
  afterEach(() => {
    scope.stop()
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  it('shares one stream, hands changes over, and asks for a reload after a gap', () => {
    const first = vi.fn()
    const second = vi.fn()
    scope = effectScope()
    const live = scope.run(() => {
      useLive(second)
      return useLive(first)
    })!
    expect(FakeEventSource.made).toHaveLength(1)
    const stream = FakeEventSource.made[0]!
    expect(stream.url).toBe('/api/v1/incidents/events')
    expect(live.state.value).toBe('connecting')

    stream.send('ready')
    expect(live.state.value).toBe('live')
    stream.send('incident', change)
    expect(first).toHaveBeenCalledWith(change)
    expect(second).toHaveBeenCalledWith(change)

    stream.fail(false) // the browser reconnects by itself
    expect(live.state.value).toBe('lost')
    stream.send('ready')
    expect(live.state.value).toBe('live')
    expect(first).toHaveBeenLastCalledWith(null)
  })

  it('reconnects with back-off after a refusal, and after a silent stream', () => {
    scope = effectScope()
    const live = scope.run(() => useLive(() => undefined))!
    FakeEventSource.made[0]!.fail(true)
    expect(live.state.value).toBe('lost')
    vi.advanceTimersByTime(1000)
    expect(FakeEventSource.made).toHaveLength(2)
    FakeEventSource.made[1]!.fail(true)
    vi.advanceTimersByTime(1000)
    expect(FakeEventSource.made).toHaveLength(2)
    vi.advanceTimersByTime(1000)
    expect(FakeEventSource.made).toHaveLength(3)

    FakeEventSource.made[2]!.send('ready')
    expect(live.state.value).toBe('live')
    vi.advanceTimersByTime(STALE_MS + 5000)
    expect(FakeEventSource.made).toHaveLength(4)
    expect(live.state.value).toBe('lost')
  })

  it('starts afresh after a stop, without the back-off of earlier refusals (signed out, then in)', () => {
    scope = effectScope()
    scope.run(() => useLive(() => undefined))
    for (let refusal = 0; refusal < 4; refusal++) {
      FakeEventSource.made.at(-1)!.fail(true) // 401: signed out
      vi.advanceTimersByTime(15000)
    }
    scope.stop()
    expect(liveStatus.state.value).toBe('off')
    const before = FakeEventSource.made.length
    scope = effectScope()
    scope.run(() => useLive(() => undefined))
    expect(FakeEventSource.made).toHaveLength(before + 1)
    FakeEventSource.made.at(-1)!.fail(true)
    vi.advanceTimersByTime(1000)
    expect(FakeEventSource.made).toHaveLength(before + 2)
    FakeEventSource.made.at(-1)!.send('ready')
    expect(liveStatus.state.value).toBe('live')
  })

  it('closes the stream when nobody listens', () => {
    scope = effectScope()
    scope.run(() => useLive())
    const stream = FakeEventSource.made[0]!
    scope.stop()
    expect(stream.readyState).toBe(FakeEventSource.CLOSED)
  })
})

describe('coalesce', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('turns a burst into one call after it, at most one a second', () => {
    const fn = vi.fn()
    const once = coalesce(fn, 100)
    once()
    once()
    once()
    expect(fn).not.toHaveBeenCalled()
    vi.advanceTimersByTime(100)
    expect(fn).toHaveBeenCalledTimes(1)
    once()
    vi.advanceTimersByTime(100)
    expect(fn).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(799)
    expect(fn).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(101)
    expect(fn).toHaveBeenCalledTimes(2)
    vi.advanceTimersByTime(5000)
    once()
    vi.advanceTimersByTime(100)
    expect(fn).toHaveBeenCalledTimes(3)
  })
})
