// The one HTTP client of the SPA: JSON in and out through the gateway (same origin), a timeout on every
// request, and every failure turned into an ApiError whose message can be shown to the user as it is.
// Signed in, the browser sends the session cookie by itself; state-changing requests also carry the
// session's CSRF token (X-CSRF-Token), and a 401 tells the session (useSession) to ask for a sign-in.

export interface FieldErrors {
  [field: string]: string[] | FieldErrors
}

export class ApiError extends Error {
  readonly status: number
  readonly errors: FieldErrors

  constructor(status: number, message: string, errors: FieldErrors = {}) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.errors = errors
  }

  get notFound(): boolean {
    return this.status === 404
  }

  /** Field messages of a 422 for the request body (`errors.json.<field>`), flattened to "a.b" paths. */
  fieldErrors(location = 'json'): Record<string, string> {
    const out: Record<string, string> = {}
    const walk = (node: FieldErrors | string[], path: string) => {
      if (Array.isArray(node)) {
        out[path] = node.join(' ')
        return
      }
      for (const [key, value] of Object.entries(node)) walk(value, path ? `${path}.${key}` : key)
    }
    const section = this.errors[location]
    if (section && !Array.isArray(section)) walk(section, '')
    return out
  }
}

const TIMEOUT_MS = 15000
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

let csrfToken: string | null = null
let onUnauthorized: ((path: string) => void) | null = null

/** The CSRF token of the current session (from the sign-in answer or GET /api/v1/auth/me), or null. */
export function setCsrfToken(token: string | null) {
  csrfToken = token
}

/** Called with the request's path when an answer is 401 (the session ended or there is none). */
export function setUnauthorizedHandler(handler: ((path: string) => void) | null) {
  onUnauthorized = handler
}

function headersFor(method: string, hasBody: boolean): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (hasBody) headers['Content-Type'] = 'application/json'
  if (csrfToken && !SAFE_METHODS.has(method.toUpperCase())) headers['X-CSRF-Token'] = csrfToken
  return headers
}

type Query = Record<string, string | number | string[] | undefined | null>

export function queryString(query: Query = {}): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(','))
    } else params.set(key, String(value))
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}

export async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS)
  let response: Response
  try {
    response = await fetch(path + queryString(query), {
      method,
      headers: headersFor(method, body !== undefined),
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
    })
  } catch (error) {
    const reason = controller.signal.aborted ? `no answer within ${TIMEOUT_MS / 1000}s` : 'network error'
    throw new ApiError(0, `${method} ${path} failed: ${reason}`)
  } finally {
    clearTimeout(timer)
  }
  const payload = await readJson(response)
  if (!response.ok) {
    if (response.status === 401 && onUnauthorized) onUnauthorized(path)
    const message = typeof payload?.message === 'string' && payload.message ? payload.message : response.statusText
    throw new ApiError(response.status, `${message || 'request failed'} (HTTP ${response.status})`, payload?.errors ?? {})
  }
  return payload as T
}

async function readJson(response: Response): Promise<any> {
  const text = await response.text()
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T>(path: string, body: unknown) => request<T>('POST', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
}
