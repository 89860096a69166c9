import { describe, expect, it } from 'vitest'
import { formatAge, formatDuration } from './format'

describe('formatDuration', () => {
  it.each([
    [null, '—'],
    [undefined, '—'],
    [Number.NaN, '—'],
    [-5, '0s'],
    [0, '0s'],
    [42.4, '42s'],
    [60, '1m 00s'],
    [252, '4m 12s'],
    [3600, '1h 00m'],
    [11100, '3h 05m'],
    [86400 * 2 + 3600 * 4 + 59, '2d 4h'],
  ])('%s seconds -> %s', (seconds, expected) => {
    expect(formatDuration(seconds as number | null)).toBe(expected)
  })
})

describe('formatAge', () => {
  it('counts from the timestamp to now', () => {
    const now = Date.parse('2026-11-27T08:10:30Z')
    expect(formatAge('2026-11-27T08:00:00Z', now)).toBe('10m 30s')
    expect(formatAge(null, now)).toBe('—')
  })
})
