import { describe, expect, it } from 'vitest'
import { fromLocalInput, fromRoute, toFilters, toLocalInput, toRoute } from './historyQuery'

describe('history query', () => {
  it('reads the address, dropping what it does not know', () => {
    const query = fromRoute({
      q: ' disk full ',
      status: 'resolved,closed',
      severity: 'critical,urgent,low',
      sort: 'loudest',
      page: '3',
      since: 'yesterday',
      until: '2026-11-27T08:00:00.000Z',
    })
    expect(query).toEqual({
      q: 'disk full',
      status: ['resolved'],
      severity: ['critical', 'low'],
      service: undefined,
      team: undefined,
      assignee: undefined,
      since: undefined,
      until: '2026-11-27T08:00:00.000Z',
      sort: undefined,
      page: 3,
    })
  })

  it('writes only what is set, and asks the API with its own names', () => {
    const query = { q: 'lag', status: ['open' as const, 'resolved' as const], assignee: 'ann', page: 2 }
    expect(toRoute(query)).toEqual({ q: 'lag', status: 'open,resolved', assignee: 'ann', page: '2' })
    expect(fromRoute(toRoute(query))).toMatchObject(query)
    expect(toFilters(query)).toMatchObject({ q: 'lag', assigned_to: 'ann', sort: 'newest', page: 2, page_size: 25 })
  })

  it('turns local input times into instants and back', () => {
    const iso = fromLocalInput('2026-11-27T09:30')!
    expect(Date.parse(iso)).toBe(new Date(2026, 10, 27, 9, 30).getTime())
    expect(toLocalInput(iso)).toBe('2026-11-27T09:30')
    expect(fromLocalInput('')).toBeUndefined()
  })
})
