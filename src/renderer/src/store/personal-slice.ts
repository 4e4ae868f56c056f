// Personal tokens: the connect/discover dialog, where each token's active library stands (from 'personal.active'
// events and the answers to switch and check), and a copy refused because someone switched outside Larder.
// The rows themselves change only through 'library.changed': Larder sends one for every row sharing the token.
import type { StateCreator } from 'zustand'
import type { PersonalActiveView } from '../../../shared/contract.ts'
import type { BridgeClient } from '../bridge/client.ts'
import { activeViewOf, plural } from '../lib/personal.ts'
import type { AppState, PersonalSlice } from './types.ts'

export function personalSlice(client: BridgeClient): StateCreator<AppState, [], [], PersonalSlice> {
  let reachableAsked = 0
  return (set, get) => ({
    personalDialog: null,
    reachable: null,
    driftRefusal: null,
    personalActive: {},
    openConnect: () => set({ personalDialog: { mode: 'connect' }, addOpen: false }),
    openDiscover: (connectionId) => set({ personalDialog: { mode: 'discover', connectionId } }),
    closePersonal: () => set({ personalDialog: null }),

    notePersonalActive(state: PersonalActiveView) {
      const current = get()
      const refusal = current.driftRefusal
      const clearRefusal = refusal !== null && refusal.connectionId === state.connectionId && !state.drifted
      set({
        personalActive: { ...current.personalActive, [state.connectionId]: state },
        ...(clearRefusal ? { driftRefusal: null } : {})
      })
    },
    noteDriftRefusal: (driftRefusal) => set({ driftRefusal }),
    dismissDriftRefusal: () => set({ driftRefusal: null }),

    async switchPersonal(id) {
      const before = get().byId[id]
      const result = await client.call('personal.switch', { id })
      if (result.ok) {
        get().applyLibraryViews([result.value])
        const personal = result.value.personal
        if (personal) get().notePersonalActive(activeViewOf(personal))
        const where = personal?.activeLibraryName ?? personal?.activeLibraryId ?? result.value.name
        get().pushToast('success', `The personal token of ${personal?.connectionName ?? before?.name ?? 'this library'} now acts on ${where}.`)
      } else {
        get().pushToast('error', `Could not switch the active library. ${result.error.message}`)
      }
      return result
    },

    async checkPersonal(id) {
      const result = await client.call('personal.check', { id })
      if (result.ok) get().notePersonalActive(result.value)
      else get().pushToast('error', `Could not read the active library. ${result.error.message}`)
      return result
    },

    async loadReachable(connectionId) {
      if (get().reachable?.connectionId !== connectionId) set({ reachable: { connectionId, kind: 'loading' } })
      const asked = ++reachableAsked
      const result = await client.call('personal.libraries', { connectionId })
      if (asked !== reachableAsked) return
      if (!result.ok) {
        set({ reachable: { connectionId, kind: 'failed', message: result.error.message } })
        return
      }
      get().notePersonalActive(result.value.state)
      set({ reachable: { connectionId, kind: 'ready', state: result.value.state, libraries: result.value.libraries } })
    },

    async addPersonal(connectionId, libraryIds) {
      const result = await client.call('personal.add', { connectionId, libraryIds: [...libraryIds] })
      if (result.ok) {
        get().applyLibraryViews(result.value)
        get().pushToast('success', `Added ${plural(result.value.length, 'library', 'libraries')}: ${result.value.map((library) => library.name).join(', ')}.`)
      }
      return result
    }
  })
}
