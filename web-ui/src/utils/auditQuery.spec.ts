import { describe, expect, it } from 'vitest'
import { auditQuery, changedFields, noAuditFilters } from './auditQuery'
import { fromLocalInput } from './format'

describe('auditQuery', () => {
  it('sends only the filters given, trimmed, with local times as instants', () => {
    const filters = { ...noAuditFilters(), actor: ' rita@example.com ', action: 'update' as const, since: '2026-12-01T08:00' }
    const query = auditQuery(filters, 2)
    expect(query).toEqual({
      page: 2,
      page_size: 25,
      actor: 'rita@example.com',
      action: 'update',
      since: fromLocalInput('2026-12-01T08:00'),
    })
  })

  it('drops empty and unreadable fields', () => {
    expect(auditQuery({ ...noAuditFilters(), record_id: '  ', until: 'garbage' }, 1)).toEqual({ page: 1, page_size: 25 })
  })
})

describe('changedFields', () => {
  it('lists what an update changed, by field name', () => {
    const before = { status: 'open', title: 'Disk', tags: ['a'] }
    const after = { status: 'resolved', title: 'Disk', tags: ['a', 'b'] }
    expect(changedFields(before, after)).toEqual([
      ['status', 'open', 'resolved'],
      ['tags', ['a'], ['a', 'b']],
    ])
  })

  it('lists every field of a create or delete', () => {
    expect(changedFields(null, { name: 'x' })).toEqual([['name', undefined, 'x']])
    expect(changedFields({ name: 'x' }, null)).toEqual([['name', 'x', undefined]])
  })
})
