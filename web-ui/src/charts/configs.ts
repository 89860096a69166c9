// Chart.js configurations built from the stats API's answer: pure functions, so they are tested
// without a canvas. Durations are drawn in the unit that suits their size (seconds, minutes or hours).
import type { ChartConfiguration } from 'chart.js'
import type { IncidentStats, SeriesPoint } from '@/api/types'

export interface Palette {
  text: string
  grid: string
  accent: string
  warn: string
  ok: string
}

const hourLabel = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' })

export function bucketLabels(series: SeriesPoint[], bucket: IncidentStats['bucket']): string[] {
  const format = bucket === 'hour' ? hourLabel : dayLabel
  return series.map((point) => format.format(new Date(point.bucket_start)))
}

export interface DurationUnit {
  name: 'seconds' | 'minutes' | 'hours'
  seconds: number
}

/** The unit in which the largest of these durations reads best (at most 120 of it). */
export function durationUnit(values: (number | null)[]): DurationUnit {
  const largest = Math.max(0, ...values.filter((v): v is number => v !== null))
  if (largest <= 120) return { name: 'seconds', seconds: 1 }
  if (largest <= 120 * 60) return { name: 'minutes', seconds: 60 }
  return { name: 'hours', seconds: 3600 }
}

function inUnit(value: number | null, unit: DurationUnit): number | null {
  return value === null ? null : Math.round((value / unit.seconds) * 10) / 10
}

function axes(palette: Palette, yTitle: string) {
  return {
    x: { ticks: { color: palette.text, maxRotation: 0, autoSkipPadding: 12 }, grid: { color: palette.grid } },
    y: {
      beginAtZero: true,
      grace: '10%',
      title: { display: true, text: yTitle, color: palette.text },
      ticks: { color: palette.text },
      grid: { color: palette.grid },
    },
  }
}

/** Counts: whole numbers on the value axis. */
function integerAxes(palette: Palette, yTitle: string) {
  const scales = axes(palette, yTitle)
  return { ...scales, y: { ...scales.y, ticks: { ...scales.y.ticks, precision: 0 } } }
}

const common = { responsive: true, maintainAspectRatio: false, animation: false as const }

export function trendChart(
  stats: IncidentStats,
  metric: 'mtta_seconds_avg' | 'mttr_seconds_avg',
  label: string,
  color: string,
  palette: Palette,
): ChartConfiguration<'line'> {
  const values = stats.series.map((point) => point[metric])
  const unit = durationUnit(values)
  return {
    type: 'line',
    data: {
      labels: bucketLabels(stats.series, stats.bucket),
      datasets: [
        {
          label: `${label} (${unit.name})`,
          data: values.map((value) => inUnit(value, unit)),
          borderColor: color,
          backgroundColor: `${color}33`,
          fill: true,
          spanGaps: true,
          tension: 0.25,
          pointRadius: 4,
          pointBackgroundColor: color,
        },
      ],
    },
    options: { ...common, plugins: { legend: { display: false } }, scales: axes(palette, unit.name) },
  }
}

export function volumeChart(stats: IncidentStats, palette: Palette): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: {
      labels: bucketLabels(stats.series, stats.bucket),
      datasets: [
        {
          label: 'Incidents opened',
          data: stats.series.map((p) => p.incidents),
          backgroundColor: palette.accent,
          maxBarThickness: 48,
        },
      ],
    },
    options: { ...common, plugins: { legend: { display: false } }, scales: integerAxes(palette, 'incidents') },
  }
}

export function byServiceChart(stats: IncidentStats, palette: Palette): ChartConfiguration<'bar'> {
  const services = stats.by_service.slice(0, 10)
  const scales = integerAxes(palette, 'incidents')
  return {
    type: 'bar',
    data: {
      labels: services.map((s) => s.service),
      datasets: [
        { label: 'Incidents', data: services.map((s) => s.incidents), backgroundColor: palette.warn, maxBarThickness: 28 },
      ],
    },
    options: {
      ...common,
      indexAxis: 'y',
      plugins: { legend: { display: false } },
      scales: { x: { ...scales.y, title: { display: false, text: '' } }, y: { ...scales.x, beginAtZero: true } },
    },
  }
}
