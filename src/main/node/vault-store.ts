// The vault's whole-file store outside Electron, on conf: electron-store is conf with these same options, so the
// agent and the tests write exactly the file the desktop app writes (`<data folder>/vault.json`).
import Conf from 'conf'
import { VAULT_STORE_FORMAT, VAULT_STORE_OPTIONS } from '../core/vault/store-options.ts'
import type { JsonFileStore, StoreFactory } from '../core/vault/vault.ts'

/** `openStore` for a vault at `<dir>/<configName>.json`. */
export function nodeVaultStore(dir: string, configName = 'vault'): StoreFactory {
  const open = (): JsonFileStore => new Conf<Record<string, unknown>>({ cwd: dir, configName, ...VAULT_STORE_OPTIONS })
  return Object.assign(open, { format: VAULT_STORE_FORMAT })
}
