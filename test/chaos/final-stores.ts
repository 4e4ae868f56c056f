// The store files at the end of the chaos run: every one must open (the vault, its last good backup, the audit
// trail), and the vault must hold, for every library, its family's newest token with the server still accepting
// it, or a needs re-authorization mark the run saw coming.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createApicbaseClient } from '../../src/main/core/apicbase/index.ts'
import { openAuditLog } from '../../src/main/core/audit/index.ts'
import type { Vault } from '../../src/main/core/vault/index.ts'
import type { Ledger } from './ledger.ts'
import { PASSPHRASE } from './run-settings.ts'
import { secretFingerprint } from './secret-scan.ts'
import { openVaultIn, VAULT_FILE } from './vault-files.ts'

export interface VaultAtEnd {
  readonly healthy: number
  readonly needsReauth: number
}

/** Opens each store file (counting loads and failures in the ledger) and checks the vault's libraries. */
export async function checkStoresAtEnd(dir: string, libraries: number, ledger: Ledger): Promise<VaultAtEnd> {
  let atEnd: VaultAtEnd = { healthy: 0, needsReauth: 0 }
  const vault = await load(ledger, 'vault', () => openVaultIn(dir, PASSPHRASE))
  if (vault !== null) {
    atEnd = await checkFinalVault(vault, ledger)
    await vault.close()
  }
  const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-chaos-bak-'))
  try {
    const backupFile = path.join(dir, `${VAULT_FILE}.bak`)
    if (fs.existsSync(backupFile)) {
      fs.copyFileSync(backupFile, path.join(backupDir, VAULT_FILE))
      const backup = await load(ledger, 'vault backup', () => openVaultIn(backupDir, PASSPHRASE))
      if (backup !== null && backup.list().length !== libraries) ledger.problem(`the vault backup holds ${backup.list().length} libraries`)
      await backup?.close()
    } else {
      ledger.problem('there is no last good backup of the vault')
    }
  } finally {
    fs.rmSync(backupDir, { recursive: true, force: true })
  }
  const audit = await load(ledger, 'audit trail', async () => {
    const log = await openAuditLog({ path: path.join(dir, 'audit.jsonl') })
    await log.page({ limit: 10 })
    return log
  })
  await audit?.close()
  return atEnd
}

async function load<T>(ledger: Ledger, what: string, open: () => Promise<T>): Promise<T | null> {
  ledger.counts.storeLoads++
  try {
    return await open()
  } catch (error) {
    ledger.counts.storeLoadFailures++
    ledger.problem(`${what} failed to load: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`)
    return null
  }
}

/** Every library is healthy with its family's newest token, or marked needs re-authorization for a reason. */
async function checkFinalVault(vault: Vault, ledger: Ledger): Promise<VaultAtEnd> {
  const api = createApicbaseClient()
  let healthy = 0
  let needsReauth = 0
  try {
    for (const library of ledger.tracked.values()) {
      const meta = vault.get(library.id)
      if (meta === undefined) {
        ledger.problem(`${library.id}: missing from the vault at the end`)
        continue
      }
      const secrets = await vault.secrets(library.id)
      if (!library.acceptable.has(secretFingerprint(secrets.refreshToken))) {
        ledger.lost(`${library.id}: the vault holds a refresh token other than its newest durable one`)
      }
      for (const secret of [secrets.clientSecret, secrets.accessToken, secrets.refreshToken]) ledger.secrets.addSecret(secret)
      const answer = await api.introspect(
        { baseUrl: meta.apiBaseUrl, libraryName: meta.name, rateKey: library.id },
        { clientId: meta.clientId, clientSecret: secrets.clientSecret },
        secrets.accessToken
      )
      const works = answer?.active === true
      if (meta.tokenState === 'active') {
        if (works) healthy++
        // (a dead one that is known is counted with the pending ones)
        else if (library.dead === null) ledger.lost(`${library.id}: looks healthy, but the server no longer accepts its stored pair`)
      } else if (meta.tokenState === 'needs_reauth') {
        needsReauth++
        if (!library.marked) ledger.problem(`${library.id}: needs re-authorization at the end, but the run never saw it marked`)
        if (works) ledger.lost(`${library.id}: marked needs re-authorization, yet the server still accepts its stored pair`)
      } else {
        ledger.problem(`${library.id}: ${meta.tokenState} at the end`)
      }
    }
  } finally {
    await api.close()
  }
  return { healthy, needsReauth }
}
