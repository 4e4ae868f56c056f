// The one store, built from its slices around a bridge client. No window access here: tests build it in Node.
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { BridgeClient } from '../bridge/client.ts'
import { auditSlice } from './audit-slice.ts'
import { bulkSlice } from './bulk-slice.ts'
import { connectionSlice } from './connection-slice.ts'
import { estateSlice } from './estate-slice.ts'
import { keysSlice } from './keys-slice.ts'
import { librariesSlice } from './libraries-slice.ts'
import { lockSlice } from './lock-slice.ts'
import { oauthSlice } from './oauth-slice.ts'
import { personalSlice } from './personal-slice.ts'
import { settingsSlice } from './settings-slice.ts'
import { teamSlice } from './team-slice.ts'
import { terminalSlice } from './terminal-slice.ts'
import { toastsSlice } from './toasts-slice.ts'
import type { AppState } from './types.ts'
import { uiSlice } from './ui-slice.ts'
import { vaultSlice } from './vault-slice.ts'

export type AppStore = StoreApi<AppState>

export function createAppStore(client: BridgeClient): AppStore {
  return createStore<AppState>()((...a) => ({
    ...librariesSlice(client)(...a),
    ...uiSlice(...a),
    ...settingsSlice(client)(...a),
    ...toastsSlice(...a),
    ...bulkSlice(client)(...a),
    ...connectionSlice(client)(...a),
    ...vaultSlice(client)(...a),
    ...personalSlice(client)(...a),
    ...oauthSlice(client)(...a),
    ...auditSlice(client)(...a),
    ...terminalSlice(client)(...a),
    ...keysSlice(client)(...a),
    ...lockSlice(client)(...a),
    ...estateSlice(client)(...a),
    ...teamSlice(client)(...a)
  }))
}
