// A user's contact methods and what can be done to them: add, remove, send a test, verify by a code.
// Each action's outcome is kept per method, so the row says how its last test or code went.
import { ref } from 'vue'
import { contactMethods as api } from '@/api/people'
import type { ContactMethod, ContactMethodCreate } from '@/api/types'

export function useContactMethods(userId: string) {
  const methods = ref<ContactMethod[]>([])
  const error = ref('')
  const outcome = ref<Record<string, string>>({})
  const codeSent = ref<Record<string, boolean>>({})

  const failed = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure))
  const note = (id: string, text: string) => (outcome.value = { ...outcome.value, [id]: text })

  async function load() {
    try {
      methods.value = (await api.list(userId)).items
      error.value = ''
    } catch (failure) {
      error.value = failed(failure)
    }
  }

  /** Throws the platform's refusal (the form shows its field errors). */
  async function add(method: ContactMethodCreate) {
    const added = await api.add(userId, method)
    methods.value = [...methods.value, added]
    return added
  }

  async function remove(id: string) {
    try {
      await api.remove(userId, id)
      methods.value = methods.value.filter((m) => m.id !== id)
    } catch (failure) {
      note(id, failed(failure))
    }
  }

  async function test(id: string) {
    note(id, 'Sending a test…')
    try {
      const answer = await api.test(userId, id)
      note(id, answer.delivery === 'sent' ? 'Test sent.' : `Test ${answer.delivery}: ${answer.last_error ?? 'no reason given'}`)
    } catch (failure) {
      note(id, failed(failure))
    }
  }

  async function sendCode(id: string) {
    try {
      await api.sendCode(userId, id)
      codeSent.value = { ...codeSent.value, [id]: true }
      note(id, 'A six-digit code was sent: type it here.')
    } catch (failure) {
      note(id, failed(failure))
    }
  }

  async function confirm(id: string, code: string) {
    try {
      const verified = await api.confirm(userId, id, code.trim())
      methods.value = methods.value.map((m) => (m.id === id ? verified : m))
      codeSent.value = { ...codeSent.value, [id]: false }
      note(id, 'Verified: paging may use it.')
    } catch (failure) {
      note(id, failed(failure))
    }
  }

  return { methods, error, outcome, codeSent, load, add, remove, test, sendCode, confirm }
}
