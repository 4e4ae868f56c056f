// A member's local vault in its own folder, opened as the app opens one (conf store `vault`, owner-only file), for the
// team tests and the team bench, which wrap it in a team vault.
import path from 'node:path'
import Conf from 'conf'
import type { Cipher } from '../../src/main/core/vault/cipher.ts'
import { openVault, type Vault } from '../../src/main/core/vault/index.ts'

export function openLocalVault(dir: string, cipher: Cipher): Promise<Vault> {
  return openVault({ path: path.join(dir, 'vault.json'), openStore: () => new Conf({ cwd: dir, configName: 'vault', configFileMode: 0o600 }), cipher })
}
