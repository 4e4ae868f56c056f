// Where the vault stands. Until it is open (unlocked with the passphrase, or opened with the keychain), the
// window shows the vault screen instead of the libraries. The passphrase goes straight to Larder and is not kept.
import type { StateCreator } from 'zustand'
import type { BridgeClient } from '../bridge/client.ts'
import type { AppState, VaultSlice } from './types.ts'

export function vaultSlice(client: BridgeClient): StateCreator<AppState, [], [], VaultSlice> {
  return (set) => ({
    vault: null,
    setVaultState: (vault) => set({ vault }),
    async loadVaultState() {
      const result = await client.call('vault.state', {})
      if (result.ok) {
        set({ vault: result.value })
        return result.value
      }
      // A Larder without vault calls (older host): its vault is open whenever it answers at all.
      if (result.error.kind === 'invalid_input' && /unknown call/i.test(result.error.message)) {
        const open = { state: 'open', cipher: 'keychain' } as const
        set({ vault: open })
        return open
      }
      set({ vault: { state: 'failed', message: result.error.message } })
      return null
    },
    async unlockVault(passphrase) {
      const result = await client.call('vault.unlock', { passphrase })
      if (result.ok) set({ vault: result.value })
      return result
    },
    async restoreVaultBackup(passphrase) {
      const result = await client.call('vault.restoreBackup', passphrase === undefined ? {} : { passphrase })
      if (result.ok) set({ vault: result.value })
      return result
    }
  })
}
