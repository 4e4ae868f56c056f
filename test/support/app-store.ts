// The vault's store as the desktop app makes it, on conf (electron-store cannot be loaded outside Electron and passes
// these same options to conf): the agent's own adapter, shared with the tests.
import type { StoreFactory } from '../../src/main/core/vault/vault.ts'
import { nodeVaultStore } from '../../src/main/node/vault-store.ts'

/** `openStore` for a vault at `<dir>/<configName>.json`. */
export function appVaultStore(dir: string, configName = 'vault'): StoreFactory {
  return nodeVaultStore(dir, configName)
}
