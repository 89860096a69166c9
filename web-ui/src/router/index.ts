// Pages of the SPA. History mode: nginx answers every unknown path with index.html and the router
// decides, down to the not-found page. Views are loaded when first visited, but for the dashboard: it is
// where the on-call engineer lands, so it comes with the app and its list is asked for one round trip sooner.
// With auth on, every page but the sign-in page needs a signed-in user (useSession); a 401 from any call
// leads to sign-in too.
import { createRouter, createWebHistory, START_LOCATION, type RouteRecordRaw } from 'vue-router'
import { setUnauthorizedHandler } from '@/api/client'
import { useSession } from '@/composables/useSession'
import DashboardView from '@/views/DashboardView.vue'

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'dashboard', component: DashboardView, meta: { title: 'Incidents' } },
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
  { path: '/login', name: 'login', component: () => import('@/views/SignInView.vue'), meta: { title: 'Sign in', open: true } },
  { path: '/oncall', name: 'oncall', component: () => import('@/views/OncallView.vue'), meta: { title: 'On call' } },
  {
    path: '/policies',
    name: 'policies',
    component: () => import('@/views/PoliciesView.vue'),
    meta: { title: 'Escalation policies' },
  },
  {
    path: '/profile/notification-rules',
    name: 'notification-rules',
    component: () => import('@/views/NotificationRulesView.vue'),
    meta: { title: 'Notification rules' },
  },
  {
    path: '/maintenance',
    name: 'maintenance',
    component: () => import('@/views/MaintenanceView.vue'),
    meta: { title: 'Maintenance' },
  },
  {
    path: '/metrics-page',
    name: 'metrics',
    component: () => import('@/views/MetricsView.vue'),
    meta: { title: 'SRE metrics' },
  },
  { path: '/profile', name: 'profile', component: () => import('@/views/ProfileView.vue'), meta: { title: 'Profile' } },
  {
    path: '/admin',
    component: () => import('@/views/admin/AdminLayout.vue'),
    children: [
      { path: '', redirect: { name: 'admin-users' } },
      {
        path: 'users',
        name: 'admin-users',
        component: () => import('@/views/admin/AdminUsersView.vue'),
        meta: { title: 'Users' },
      },
      {
        path: 'teams',
        name: 'admin-teams',
        component: () => import('@/views/admin/AdminTeamsView.vue'),
        meta: { title: 'Teams' },
      },
      {
        path: 'integration-keys',
        name: 'admin-keys',
        component: () => import('@/views/admin/AdminKeysView.vue'),
        meta: { title: 'Integration keys' },
      },
      {
        path: 'grouping',
        name: 'admin-grouping',
        component: () => import('@/views/admin/AdminGroupingView.vue'),
        meta: { title: 'Grouping rules' },
      },
      {
        path: 'webhooks',
        name: 'admin-webhooks',
        component: () => import('@/views/admin/AdminWebhooksView.vue'),
        meta: { title: 'Webhooks' },
      },
      {
        path: 'audit',
        name: 'admin-audit',
        component: () => import('@/views/admin/AdminAuditView.vue'),
        meta: { title: 'Audit trail' },
      },
    ],
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
  const router = createRouter({ history: createWebHistory(import.meta.env.BASE_URL), routes })
  const session = useSession()
  router.beforeEach(async (to) => {
    if (to.meta.open) return true
    try {
      await session.load()
    } catch {
      return true // the platform did not answer: the page shows its own error
    }
    return session.needsSignIn.value ? { name: 'login', query: { next: to.fullPath } } : true
  })
  setUnauthorizedHandler((path) => {
    if (path === '/api/v1/auth/login' || path === '/api/v1/auth/me') return
    session.forget()
    const current = router.currentRoute.value
    // Before the first page is shown, its own guard leads to sign-in (with the page asked for as `next`):
    // a 401 of a call made meanwhile (the open count in the header) must not replace it with "/".
    if (current === START_LOCATION || current.meta.open) return
    void router.push({ name: 'login', query: { next: current.fullPath } })
  })
  return router
}
