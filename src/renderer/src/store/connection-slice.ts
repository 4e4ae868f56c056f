import type { StateCreator } from 'zustand'
import type { BridgeClient } from '../bridge/client.ts'
import type { AppState, ConnectionSlice } from './types.ts'

export function connectionSlice(client: BridgeClient): StateCreator<AppState, [], [], ConnectionSlice> {
  return (set) => ({
    connection: client.connected ? 'connected' : 'absent',
    appInfo: null,
    async loadAppInfo() {
      const result = await client.call('app.info', {})
      if (result.ok) set({ appInfo: result.value })
    }
  })
}
