// Who is on call for every team that has a schedule, and their next shifts. One team failing to answer
// shows as an error on that team's card, not as an empty page.
import { ref } from 'vue'
import { oncall as oncallApi } from '@/api/endpoints'
import type { Chain, OnCallNow, Schedule, ScheduleCreate, Shift } from '@/api/types'
import { usePolling } from './usePolling'

export const REFRESH_MS = 60000
export const SHIFTS_SHOWN = 6

export interface TeamOnCall {
  schedule: Schedule
  current: OnCallNow | null
  shifts: Shift[]
  chain: Chain | null
  error: string | null
}

function message(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason)
}

async function teamOnCall(schedule: Schedule): Promise<TeamOnCall> {
  const [current, shifts, chain] = await Promise.allSettled([
    oncallApi.current(schedule.team),
    oncallApi.shifts(schedule.team),
    oncallApi.chain(schedule.team),
  ])
  const failed = [current, shifts, chain].find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined
  return {
    schedule,
    current: current.status === 'fulfilled' ? current.value : null,
    shifts: shifts.status === 'fulfilled' ? shifts.value.shifts.slice(0, SHIFTS_SHOWN) : [],
    chain: chain.status === 'fulfilled' ? chain.value : null,
    error: failed ? message(failed.reason) : null,
  }
}

export function useOncall(refreshMs = REFRESH_MS) {
  const teams = ref<TeamOnCall[]>([])

  async function load() {
    const page = await oncallApi.schedules()
    const schedules = [...page.items].sort((a, b) => a.team.localeCompare(b.team))
    teams.value = await Promise.all(schedules.map(teamOnCall))
  }

  const polling = usePolling(load, refreshMs)

  async function createSchedule(schedule: ScheduleCreate): Promise<Schedule> {
    const created = await oncallApi.createSchedule(schedule)
    await polling.refresh()
    return created
  }

  return { teams, createSchedule, ...polling }
}
