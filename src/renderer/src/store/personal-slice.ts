// Personal tokens: the connect/discover dialog, where each token's active library stands (from 'personal.active'
// events and the answers to switch and check), and a copy refused because someone switched outside Larder.
import type { StateCreator } from 'zustand'
import type { BridgeClient } from '../bridge/client.ts'
import { applyPersonalActive, plural } from '../lib/personal.ts'
import type { AppState, PersonalSlice } from './types.ts'

export function personalSlice(client: BridgeClient): StateCreator<AppState, [], [], PersonalSlice> {
  return (set, get) => ({
    personalDialog: null,
    driftRefusal: null,
    openConnect: () => set({ personalDialog: { mode: 'connect' }, addOpen: false }),
    openDiscover: (connectionId) => set({ personalDialog: { mode: 'discover', connectionId } }),
    closePersonal: () => set({ personalDialog: null }),

    applyPersonalActive(state) {
      const current = get()
      const byId = applyPersonalActive(current.byId, state)
      const refusal = current.driftRefusal
      const clearRefusal = refusal !== null && refusal.connectionId === state.connectionId && !state.drifted
      if (byId === current.byId && !clearRefusal) return
      set({ ...(byId !== current.byId ? { byId } : {}), ...(clearRefusal ? { driftRefusal: null } : {}) })
    },
    noteDriftRefusal: (driftRefusal) => set({ driftRefusal }),
    dismissDriftRefusal: () => set({ driftRefusal: null }),

    async switchPersonal(id) {
      const before = get().byId[id]
      const result = await client.call('personal.switch', { id })
      if (result.ok) {
        get().applyLibraryChanges([result.value], [])
        const personal = result.value.personal
        if (personal) get().applyPersonalActive(personal)
        const refusal = get().driftRefusal
        if (refusal !== null && personal && refusal.connectionId === personal.connectionId && !personal.drifted) set({ driftRefusal: null })
        const where = personal?.activeLibraryName ?? personal?.activeLibraryId ?? result.value.name
        get().pushToast('success', `The personal token of ${personal?.connectionName ?? before?.name ?? 'this library'} now acts on ${where}.`)
      } else {
        get().pushToast('error', `Could not switch the active library. ${result.error.message}`)
      }
      return result
    },

    async checkPersonal(id) {
      const result = await client.call('personal.check', { id })
      if (result.ok) get().applyPersonalActive(result.value)
      else get().pushToast('error', `Could not read the active library. ${result.error.message}`)
      return result
    },

    async addPersonal(connectionId, libraryIds) {
      const result = await client.call('personal.add', { connectionId, libraryIds: [...libraryIds] })
      if (result.ok) {
        get().applyLibraryChanges(result.value, [])
        get().pushToast('success', `Added ${plural(result.value.length, 'library', 'libraries')}: ${result.value.map((library) => library.name).join(', ')}.`)
      }
      return result
    }
  })
}
