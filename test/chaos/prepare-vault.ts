// Before the first Larder process starts: one sandbox library (with its application) per vault entry, each issued
// at a spread-out moment of the last six days so the libraries do not all refresh together. The ledger starts
// tracking each one, and the secret scan learns its secrets.
import path from 'node:path'
import { createPassphraseCipher, openVault } from '../../src/main/core/vault/index.ts'
import type { Sandbox } from '../sandbox/index.ts'
import { sandboxLibraryRecord } from '../support/sandbox-records.ts'
import type { Ledger } from './ledger.ts'
import { DAY, FAST_SCRYPT, PASSPHRASE, START_TIME, TOKEN_LIFETIME_MS } from './run-settings.ts'
import { secretFingerprint } from './secret-scan.ts'
import { VAULT_FILE, vaultStore } from './vault-files.ts'

export async function prepareVault(setup: {
  readonly dir: string
  readonly sandbox: Sandbox
  readonly libraries: number
  readonly rng: () => number
  readonly ledger: Ledger
}): Promise<void> {
  const { dir, sandbox, ledger } = setup
  const { cipher } = await createPassphraseCipher(PASSPHRASE, undefined, { cost: FAST_SCRYPT })
  const vault = await openVault({ path: path.join(dir, VAULT_FILE), openStore: vaultStore(dir), cipher, now: () => START_TIME })
  for (let i = 1; i <= setup.libraries; i++) {
    const credentials = sandbox.addLibraryWithApplication({ name: `Chaos Kitchen ${i}` })
    const id = `lib-${i}`
    const issuedAt = START_TIME - Math.floor(setup.rng() * 6 * DAY)
    const record = sandboxLibraryRecord(credentials, { id, apiBaseUrl: sandbox.url, issuedAt, lifetimeMs: TOKEN_LIFETIME_MS })
    await vault.add(record.meta, record.secrets)
    for (const secret of [credentials.clientSecret, credentials.accessToken, credentials.refreshToken]) {
      if (!ledger.secrets.addSecret(secret)) ledger.problem(`a secret of ${id} is not alphanumeric: the scan cannot look for it`)
    }
    ledger.track({
      id,
      sandboxLibraryId: credentials.id,
      clientId: credentials.clientId,
      scopes: credentials.scopes,
      family: credentials.familyId,
      refreshTokenFingerprint: secretFingerprint(credentials.refreshToken)
    })
  }
  await vault.close()
}
