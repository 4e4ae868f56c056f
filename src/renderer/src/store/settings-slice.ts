import type { StateCreator } from 'zustand'
import type { BridgeClient } from '../bridge/client.ts'
import type { AppState, SettingsSlice } from './types.ts'

export function settingsSlice(client: BridgeClient): StateCreator<AppState, [], [], SettingsSlice> {
  return (set) => ({
    settings: null,
    settingsError: null,
    async loadSettings() {
      const result = await client.call('settings.get', {})
      if (result.ok) set({ settings: result.value, settingsError: null })
      else set({ settingsError: result.error.message })
    },
    async updateSettings(patch) {
      const result = await client.call('settings.update', patch)
      if (result.ok) set({ settings: result.value, settingsError: null })
      return result
    }
  })
}
