// Names for the e-mail addresses the platform records as actors (a signed-in user acts as their e-mail):
// each address is asked for once (GET /api/v1/users?email=) and kept; anything else is shown as it is.
import { reactive } from 'vue'
import { users } from '@/api/people'

const names = reactive(new Map<string, string>())
const asked = new Set<string>()
const EMAIL = /^[^\s@]+@[^\s@]+$/

function ask(email: string) {
  asked.add(email)
  users
    .byEmail(email)
    .then((page) => {
      const user = page.items[0]
      if (user) names.set(email, user.name)
    })
    .catch(() => {
      // Not a user (or not readable): the address stays what is shown.
    })
}

export function usePeopleNames() {
  /** The user's name for an actor that is their e-mail; the actor itself otherwise (or until known). */
  function nameOf(actor: string | null | undefined): string {
    if (!actor) return ''
    const key = actor.toLowerCase()
    if (!EMAIL.test(key)) return actor
    if (!asked.has(key)) ask(key)
    return names.get(key) ?? actor
  }
  return { nameOf }
}
