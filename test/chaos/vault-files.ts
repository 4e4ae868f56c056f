// The chaos run's vault on disk: vault.json in a data folder, its store file readable by the owner only.
// Opened by every Larder process and by the checks at the end (the vault and a copy of its backup).
import path from 'node:path'
import { appVaultStore } from '../support/app-store.ts'
import { createPassphraseCipher, openVault, readVaultHeader, type StoreFactory, type Vault } from '../../src/main/core/vault/index.ts'

export const VAULT_FILE = 'vault.json'

/** The store as the desktop app makes it, so the chaos run kills processes in the middle of worker-thread compactions too. */
export function vaultStore(dir: string): StoreFactory {
  return appVaultStore(dir, path.basename(VAULT_FILE, '.json'))
}

/** Opens the vault in `dir` with the cipher its header names. */
export async function openVaultIn(dir: string, passphrase: string, now?: () => number): Promise<Vault> {
  const vaultPath = path.join(dir, VAULT_FILE)
  const header = readVaultHeader(vaultPath)
  if (header === null) throw new Error(`no vault at ${vaultPath}`)
  const { cipher } = await createPassphraseCipher(passphrase, header.cipher)
  return openVault({ path: vaultPath, openStore: vaultStore(dir), cipher, ...(now === undefined ? {} : { now }) })
}
