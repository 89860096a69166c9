// What gets an on-call engineer's attention outside the page: the open count in the tab title, and (when they
// turn it on, kept in the browser) a notification and a sound for each new high-urgency incident.
import { getCurrentScope, onScopeDispose, ref, watch } from 'vue'
import { incidents as incidentsApi } from '@/api/endpoints'
import { HIGH_URGENCY_SEVERITIES, type Severity } from '@/api/types'
import { coalesce, useLive, type IncidentChange } from './useLive'

const STORAGE_KEY = 'incident-platform.alerts'
const COUNT_REFRESH_MS = 60000

export const openCount = ref<number | null>(null)
export const alertsOn = ref(readSetting())
/** How many high-urgency incidents this tab announced (shown for the curious, and for tests). */
export const announced = ref(0)

function readSetting(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'on'
  } catch {
    return false
  }
}

watch(alertsOn, (on) => {
  try {
    localStorage.setItem(STORAGE_KEY, on ? 'on' : 'off')
  } catch {
    // private mode: the choice lasts for this tab
  }
})

export async function toggleAlerts() {
  if (!alertsOn.value && typeof Notification !== 'undefined' && Notification.permission === 'default') {
    await Notification.requestPermission()
  }
  alertsOn.value = !alertsOn.value
}

export function titleWithCount(title: string, count: number | null): string {
  return count ? `(${count}) ${title}` : title
}

export function isHighUrgency(severity: Severity): boolean {
  return (HIGH_URGENCY_SEVERITIES as readonly Severity[]).includes(severity)
}

function beep() {
  const AudioContextClass = window.AudioContext
  if (!AudioContextClass) return
  const context = new AudioContextClass()
  const tone = context.createOscillator()
  const gain = context.createGain()
  tone.frequency.value = 880
  gain.gain.setValueAtTime(0.2, context.currentTime)
  gain.gain.exponentialRampToValueAtTime(0.001, context.currentTime + 0.6)
  tone.connect(gain).connect(context.destination)
  tone.start()
  tone.stop(context.currentTime + 0.6)
  tone.onended = () => void context.close()
}

function announce(change: IncidentChange) {
  announced.value += 1
  if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
    new Notification(`${change.severity.toUpperCase()}: ${change.title}`, { body: change.service, tag: change.id })
  }
  try {
    beep()
  } catch {
    // no audio device: the notification is enough
  }
}

async function loadOpenCount() {
  try {
    openCount.value = (await incidentsApi.list({ status: ['open'], page_size: 1 })).total
  } catch {
    // keep the last count; the pages show the error
  }
}

/** In the app shell while someone may read incidents: keeps the count fresh, announces new high-urgency ones. */
export function useAttention() {
  const refreshCount = coalesce(() => void loadOpenCount(), 500, 2000)
  void loadOpenCount()
  const timer = setInterval(() => void loadOpenCount(), COUNT_REFRESH_MS)
  if (getCurrentScope())
    onScopeDispose(() => {
      clearInterval(timer)
      openCount.value = null
    })
  return useLive((change) => {
    refreshCount()
    if (change?.change === 'created' && alertsOn.value && isHighUrgency(change.severity)) announce(change)
  })
}
