import { describe, expect, it } from 'vitest'
import {
  formatAge,
  formatClock,
  formatDuration,
  formatShortTime,
  formatTime,
  fromLocalInput,
  setViewerZone,
  toLocalInput,
  viewerZone,
  zoneName,
} from './format'

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

describe('times with their zone named', () => {
  const winter = '2026-12-03T13:05:07Z'
  const summer = '2026-07-03T13:05:07Z'

  it.each([
    ['Europe/Berlin', winter, 'CET'],
    ['Europe/Berlin', summer, 'CEST'],
    ['America/New_York', winter, 'EST'],
    ['Europe/London', winter, 'GMT'],
    ['UTC', winter, 'UTC'],
    ['Asia/Kolkata', winter, 'GMT+5:30'], // no abbreviation known: the offset
  ])('%s at %s is %s', (zone, iso, name) => {
    expect(zoneName(new Date(iso), zone)).toBe(name)
  })

  it('shows a clock time in the zone given, e.g. 14:05 CET', () => {
    expect(formatClock(winter, 'Europe/Berlin')).toMatch(/^(14:05|02:05\sPM) CET$/)
    expect(formatClock(winter, 'Asia/Tokyo')).toMatch(/^(22:05|10:05\sPM) GMT\+9$/)
  })

  it("uses the viewer's zone from the profile, and the browser's for an unknown one", () => {
    setViewerZone('America/New_York')
    expect(viewerZone.value).toBe('America/New_York')
    expect(formatTime(winter)).toMatch(/Dec 3, 2026.*(08|8):05:07.* EST$/)
    expect(formatShortTime(winter)).toMatch(/^Thu, Dec 3.* EST$/)
    expect(formatShortTime(winter, 'Europe/Berlin')).toMatch(/ CET$/) // a schedule's own zone
    setViewerZone('Mars/Olympus')
    expect(viewerZone.value).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone)
    setViewerZone(null)
  })

  it('shows a dash for no time or a broken one', () => {
    expect(formatTime(null)).toBe('—')
    expect(formatClock('not a time')).toBe('—')
  })
})

describe('time inputs in the viewer\'s zone', () => {
  it.each([
    ['2026-12-03T14:05', 'Europe/Berlin', '2026-12-03T13:05:00.000Z'],
    ['2026-07-03T14:05', 'Europe/Berlin', '2026-07-03T12:05:00.000Z'],
    ['2026-12-03T14:05', 'America/New_York', '2026-12-03T19:05:00.000Z'],
    ['2026-12-03T14:05', 'Asia/Kolkata', '2026-12-03T08:35:00.000Z'],
    ['2026-03-29T03:30', 'Europe/Berlin', '2026-03-29T01:30:00.000Z'], // the hour after the spring change
  ])('%s in %s is %s, and back', (local, zone, iso) => {
    expect(fromLocalInput(local, zone)).toBe(iso)
    expect(toLocalInput(iso, zone)).toBe(local)
  })

  it("uses the profile's zone by default, and nothing for no input", () => {
    setViewerZone('Asia/Tokyo')
    expect(fromLocalInput('2026-12-03T09:00')).toBe('2026-12-03T00:00:00.000Z')
    expect(toLocalInput('2026-12-03T00:00:00Z')).toBe('2026-12-03T09:00')
    setViewerZone(null)
    expect(fromLocalInput('')).toBeUndefined()
    expect(fromLocalInput('garbage')).toBeUndefined()
    expect(toLocalInput(undefined)).toBe('')
  })
})
