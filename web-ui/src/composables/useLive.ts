// Live updates: one EventSource per tab on /api/v1/incidents/events (same origin, so the session cookie goes
// with it), shared by every page. The browser reconnects by itself after a dropped stream; after a refusal
// (503, a proxy's error page) it gives up, and so we reconnect with back-off. A stream that says nothing for
// STALE_MS (no change, no heartbeat) counts as lost. After any gap, listeners get `null`: reload everything.
import { getCurrentScope, onScopeDispose, readonly, ref } from 'vue'
import type { Severity, Status } from '@/api/types'

export const EVENTS_URL = '/api/v1/incidents/events'
export const STALE_MS = 40000
const MAX_BACKOFF_MS = 15000

export interface IncidentChange {
  id: string
  change: 'created' | 'updated' | 'note'
  title: string
  service: string
  severity: Severity
  status: Status
  updated_at: string
}
/** A change, or null when changes may have been missed (reload). */
export type LiveListener = (change: IncidentChange | null) => void
export type LiveState = 'off' | 'connecting' | 'live' | 'lost'

const state = ref<LiveState>('off')
const lastMessageAt = ref<number | null>(null)
const listeners = new Set<LiveListener>()
let source: EventSource | null = null
let retryTimer: ReturnType<typeof setTimeout> | undefined
let watchdog: ReturnType<typeof setInterval> | undefined
let backoff = 1000
let hadGap = false

function emit(change: IncidentChange | null) {
  for (const listener of [...listeners]) listener(change)
}

function heard() {
  lastMessageAt.value = Date.now()
}

function lose() {
  state.value = 'lost'
  hadGap = true
}

function connect() {
  clearTimeout(retryTimer)
  source?.close()
  if (state.value !== 'lost') state.value = 'connecting'
  const stream = new EventSource(EVENTS_URL)
  source = stream
  stream.addEventListener('ready', () => {
    heard()
    state.value = 'live'
    backoff = 1000
    if (hadGap) emit(null)
    hadGap = false
  })
  stream.addEventListener('heartbeat', heard)
  stream.addEventListener('incident', (event) => {
    heard()
    emit(JSON.parse((event as MessageEvent<string>).data) as IncidentChange)
  })
  stream.addEventListener('resync', () => {
    heard()
    emit(null)
  })
  stream.onerror = () => {
    if (source !== stream) return
    lose()
    if (stream.readyState === EventSource.CLOSED) reconnectLater()
  }
}

function reconnectLater() {
  clearTimeout(retryTimer)
  retryTimer = setTimeout(connect, backoff)
  backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)
}

function start() {
  if (source || typeof EventSource === 'undefined') return
  connect()
  watchdog = setInterval(() => {
    if (state.value === 'live' && lastMessageAt.value !== null && Date.now() - lastMessageAt.value > STALE_MS) {
      lose()
      connect()
    }
  }, 5000)
}

function stopIfUnused() {
  if (listeners.size) return
  clearTimeout(retryTimer)
  clearInterval(watchdog)
  source?.close()
  source = null
  state.value = 'off'
  backoff = 1000
}

/** The stream's state for the header, whether anyone listens or not ('off' then). */
export const liveStatus = { state: readonly(state), lastMessageAt: readonly(lastMessageAt) }

/** Be told about changes while the calling component lives; starts the shared stream on first use. */
export function useLive(listener?: LiveListener) {
  const own: LiveListener = listener ?? (() => undefined)
  listeners.add(own)
  start()
  if (getCurrentScope())
    onScopeDispose(() => {
      listeners.delete(own)
      stopIfUnused()
    })
  return { state: readonly(state), lastMessageAt: readonly(lastMessageAt) }
}

/**
 * Calls `fn` once per burst, `ms` after its first call, and never more often than every `minIntervalMs`: the
 * first change of a quiet page shows at once, and an alert storm costs each open tab one reload a second.
 */
export function coalesce(fn: () => void, ms: number, minIntervalMs = 1000): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let lastRun = -Infinity
  return () => {
    if (timer) return
    const wait = Math.max(ms, lastRun + minIntervalMs - Date.now())
    timer = setTimeout(() => {
      timer = undefined
      lastRun = Date.now()
      fn()
    }, wait)
  }
}
