// The vault's file writer, on electron-store: one JSON file in the app's user-data folder, written whole and
// atomically, readable only by its owner. The vault reads and checks the file itself before this store exists
// (both electron-store and conf parse it in their constructor), so this object only exposes the write.
import { app } from 'electron'
import ElectronStore from 'electron-store'
import { isAbsolute, join } from 'node:path'
import vaultWorkerScript from '../core/vault/background-worker.ts?modulePath'
import { VAULT_STORE_FORMAT, VAULT_STORE_OPTIONS } from '../core/vault/store-options.ts'
import type { JsonFileStore, StoreFactory, WholeFileFormat } from '../core/vault/vault.ts'

export interface VaultStoreLocation {
  /** Defaults to the app's user-data folder. Must be absolute. */
  readonly directory?: string
  /** File name without extension. Default 'vault'. */
  readonly name?: string
}

const EXTENSION = 'json'

/**
 * What the store below writes, exactly (compact JSON, owner-only, conf's atomic write), so the vault can make its
 * compactions itself on a worker thread: a 10,000-library vault is then never serialised on the main thread. The
 * worker is bundled on its own by electron-vite; from source (tests) the vault finds it beside its own code.
 */
export const ELECTRON_STORE_FORMAT: WholeFileFormat = Object.freeze({ ...VAULT_STORE_FORMAT, ...(vaultWorkerScript ? { worker: vaultWorkerScript } : {}) })

function resolve(location: VaultStoreLocation): { directory: string; name: string } {
  const directory = location.directory ?? app.getPath('userData')
  const name = location.name ?? 'vault'
  if (!isAbsolute(directory)) throw new Error('The vault directory must be an absolute path')
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) throw new Error('The vault name must be a plain file name (letters, digits, ".", "_", "-")')
  return { directory, name }
}

/** Where the store writes: pass this as the vault's `path`. */
export function vaultStorePath(location: VaultStoreLocation = {}): string {
  const { directory, name } = resolve(location)
  return join(directory, `${name}.${EXTENSION}`)
}

export function openElectronStore(location: VaultStoreLocation = {}): JsonFileStore {
  const { directory, name } = resolve(location)
  const store = new ElectronStore<Record<string, unknown>>({
    cwd: directory,
    name,
    fileExtension: EXTENSION,
    ...VAULT_STORE_OPTIONS
  })
  return {
    path: store.path,
    set store(value: Record<string, unknown>) {
      store.store = value
    }
  }
}

/** `path` and `openStore` together, as the vault's options take them, so the two cannot disagree. */
export function electronVaultFile(location: VaultStoreLocation = {}): { readonly path: string; readonly openStore: StoreFactory } {
  const path = vaultStorePath(location)
  return { path, openStore: Object.assign(() => openElectronStore(location), { format: ELECTRON_STORE_FORMAT }) }
}
