// One incident: its detail kept fresh, and the actions on it (status changes, escalation, notes, moving
// alerts to other incidents and merging it into another).
// An action's failure is kept in `actionError` for the page to show; it is never swallowed.
import { computed, ref } from 'vue'
import { ApiError } from '@/api/client'
import { incidents as incidentsApi, oncall as oncallApi } from '@/api/endpoints'
import type { IncidentDetail, Status } from '@/api/types'
import { coalesce, useLive } from './useLive'
import { usePolling } from './usePolling'
import { useOperator } from './useOperator'

export const REFRESH_MS = 15000

export function useIncident(id: string, refreshMs = REFRESH_MS) {
  const incident = ref<IncidentDetail | null>(null)
  const notFound = ref(false)
  const busy = ref<string | null>(null)
  const actionError = ref<string | null>(null)
  const { actor } = useOperator()

  async function load() {
    try {
      incident.value = await incidentsApi.get(id)
      notFound.value = false
    } catch (error) {
      // 400 is a malformed id: for the person following a link that is "no such incident" too.
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
        notFound.value = true
        incident.value = null
        polling.stop()
        return
      }
      throw error
    }
  }
  const polling = usePolling(load, refreshMs)
  const reload = coalesce(() => void polling.refresh(), 100)
  useLive((change) => {
    if (!notFound.value && (change === null || change.id === id)) reload()
  })

  async function act(name: string, action: () => Promise<unknown>): Promise<boolean> {
    busy.value = name
    actionError.value = null
    try {
      await action()
      await polling.refresh()
      return true
    } catch (error) {
      actionError.value = error instanceof Error ? error.message : String(error)
      // A refusal usually means the incident changed elsewhere: show what it is now.
      await polling.refresh()
      return false
    } finally {
      busy.value = null
    }
  }

  const canMoveTo = (status: Status) => !!incident.value?.allowed_transitions.includes(status)
  // Resolved, or at its policy's last step: the service would refuse (409), so the button is off.
  const canEscalate = computed(
    () => !!incident.value && incident.value.status !== 'resolved' && !incident.value.escalation?.final,
  )

  return {
    incident,
    notFound,
    busy,
    actionError,
    canMoveTo,
    canEscalate,
    ...polling,
    moveTo: (status: Status) => act(status, () => incidentsApi.setStatus(id, status, actor())),
    reassign: (person: { name: string; email?: string }) =>
      act('reassign', () => incidentsApi.reassign(id, person, actor())),
    escalate: () => act('escalate', () => oncallApi.escalate(id, actor(), 'escalated from the web UI')),
    addNote: (content: string, author?: string) =>
      act('note', () => incidentsApi.addNote(id, author?.trim() || actor(), content)),
    moveAlert: (alertId: string, to: string) => act('move', () => incidentsApi.moveAlert(id, alertId, to, actor())),
    merge: (into: string) => act('merge', () => incidentsApi.merge(id, into, actor())),
  }
}
