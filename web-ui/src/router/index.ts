// Pages of the SPA. History mode: nginx answers every unknown path with index.html and the router
// decides, down to the not-found page. Views are loaded when first visited.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'dashboard', component: () => import('@/views/DashboardView.vue'), meta: { title: 'Incidents' } },
  {
    path: '/incidents/:id',
    name: 'incident',
    component: () => import('@/views/IncidentView.vue'),
    props: true,
    meta: { title: 'Incident' },
  },
  {
    path: '/history',
    name: 'history',
    component: () => import('@/views/HistoryView.vue'),
    meta: { title: 'History' },
  },
  { path: '/oncall', name: 'oncall', component: () => import('@/views/OncallView.vue'), meta: { title: 'On call' } },
  {
    path: '/metrics-page',
    name: 'metrics',
    component: () => import('@/views/MetricsView.vue'),
    meta: { title: 'SRE metrics' },
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/views/NotFoundView.vue'),
    meta: { title: 'Not found' },
  },
]

/** The tab's title (App.vue adds the open count in front). */
export function pageTitle(title: unknown): string {
  return `${typeof title === 'string' ? title : 'Incidents'} · Incident platform`
}

export function createAppRouter() {
  return createRouter({ history: createWebHistory(import.meta.env.BASE_URL), routes })
}
