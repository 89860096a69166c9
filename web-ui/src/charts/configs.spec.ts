import { describe, expect, it } from 'vitest'
import { makeStats } from '@/test/factories'
import { byServiceChart, durationUnit, trendChart, volumeChart, type Palette } from './configs'

const palette: Palette = { text: '#888888', grid: '#333333', accent: '#58a6ff', warn: '#f0883e', ok: '#3fb950' }

describe('durationUnit', () => {
  it.each([
    [[null, null], 'seconds'],
    [[30, 120], 'seconds'],
    [[30, 121], 'minutes'],
    [[7200], 'minutes'],
    [[7201, null], 'hours'],
  ])('%j -> %s', (values, unit) => {
    expect(durationUnit(values as (number | null)[]).name).toBe(unit)
  })
})

describe('charts from the stats API', () => {
  const stats = makeStats()

  it('draws MTTA per bucket in a readable unit, gaps where nothing was acknowledged', () => {
    const chart = trendChart(stats, 'mtta_seconds_avg', 'Mean MTTA', '#58a6ff', palette)
    expect(chart.type).toBe('line')
    expect(chart.data.labels).toHaveLength(2)
    expect(chart.data.datasets[0]!.data).toEqual([30, null])
    expect(chart.data.datasets[0]!.label).toBe('Mean MTTA (seconds)')
  })

  it('switches MTTR to hours when incidents take hours', () => {
    const chart = trendChart(stats, 'mttr_seconds_avg', 'Mean MTTR', '#3fb950', palette)
    expect(chart.data.datasets[0]!.data).toEqual([0.1, 2.5])
    expect(chart.data.datasets[0]!.label).toBe('Mean MTTR (hours)')
  })

  it('counts incidents per bucket and per service, noisiest first', () => {
    expect(volumeChart(stats, palette).data.datasets[0]!.data).toEqual([4, 9])
    const services = byServiceChart(stats, palette)
    expect(services.data.labels).toEqual(['checkout', 'search'])
    expect(services.data.datasets[0]!.data).toEqual([8, 5])
    expect(services.options?.indexAxis).toBe('y')
  })
})
