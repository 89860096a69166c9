// A stand-in for the gateway in unit tests (the real one is exercised by tests/web_ui in a browser):
// answers fetch() from a table of "METHOD /path" -> handler, and records every call.
import { vi } from 'vitest'

export interface Call {
  method: string
  path: string
  query: URLSearchParams
  body: any
  headers: Record<string, string>
}

type Handler = (call: Call) => { status?: number; body?: unknown } | Promise<{ status?: number; body?: unknown }>

export function fakeApi(routes: Record<string, Handler>) {
  const calls: Call[] = []
  const fetchMock = vi.fn(async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://gateway.test')
    const call: Call = {
      method: (init.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      body: init.body ? JSON.parse(String(init.body)) : undefined,
      headers: { ...((init.headers as Record<string, string> | undefined) ?? {}) },
    }
    calls.push(call)
    const handler = routes[`${call.method} ${call.path}`]
    const { status = 200, body = null } = handler
      ? await handler(call)
      : { status: 404, body: { code: 404, status: 'Not Found', message: `no route ${call.method} ${call.path}` } }
    return new Response(body === null ? null : JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    })
  })
  vi.stubGlobal('fetch', fetchMock)
  return { calls, fetchMock }
}

export const ok = (body: unknown, status = 200) => () => ({ status, body })
export const fail = (status: number, message: string, errors?: unknown) => () => ({
  status,
  body: { code: status, status: 'Error', message, ...(errors ? { errors } : {}) },
})
