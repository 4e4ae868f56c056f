// The vault's store as the desktop app makes it (the app's options, its declared format, so compactions run on the
// worker thread), on conf: electron-store cannot be loaded outside Electron and passes these same options to conf.
import Conf from 'conf'
import { VAULT_STORE_FORMAT, VAULT_STORE_OPTIONS } from '../../src/main/core/vault/store-options.ts'
import type { JsonFileStore, StoreFactory } from '../../src/main/core/vault/vault.ts'

/** `openStore` for a vault at `<dir>/<configName>.json`. */
export function appVaultStore(dir: string, configName = 'vault'): StoreFactory {
  const open = (): JsonFileStore => new Conf<Record<string, unknown>>({ cwd: dir, configName, ...VAULT_STORE_OPTIONS })
  return Object.assign(open, { format: VAULT_STORE_FORMAT })
}
