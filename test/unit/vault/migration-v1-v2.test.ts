// Schema 1 → 2 on a real version 1 vault (test/fixtures/vault-v1, written by the version 1 code): nothing stored is
// lost, every record and sealed value is carried over as it was, each personal record whose library was known gets
// an entry for it, the original is kept as .v1.bak, and the migration is in the production list.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { VaultVersionError } from '../../../src/main/core/vault/errors.ts'
import { MIGRATE_V1_TO_V2 } from '../../../src/main/core/vault/migrate-v1-v2.ts'
import { MIGRATIONS, SCHEMA_VERSION } from '../../../src/main/core/vault/migrations.ts'
import { createPassphraseCipher } from '../../../src/main/core/vault/passphrase-cipher.ts'
import { openVault, readVaultHeader, type Vault } from '../../../src/main/core/vault/index.ts'
import { startSandbox } from '../../sandbox/index.ts'
import { bytes, confStore, FAST_COST, tempDir, trackVault, vaultPath } from './fixtures.ts'

const FIXTURE = path.join(import.meta.dirname, '../../fixtures/vault-v1')
const PASSPHRASE = 'larder v1 fixture passphrase'
const AT = Date.UTC(2026, 0, 15, 9, 0, 0)

interface V1File {
  schemaVersion: number
  libraries: Record<string, { meta: Record<string, unknown>; secrets: Record<string, string> }>
  settings: Record<string, unknown>
}

function copyFixture(): string {
  const dir = tempDir()
  for (const name of ['vault.json', 'vault.json.spent']) fs.copyFileSync(path.join(FIXTURE, name), path.join(dir, name))
  return dir
}

async function openCopy(dir: string): Promise<Vault> {
  const header = readVaultHeader(vaultPath(dir))
  const { cipher } = await createPassphraseCipher(PASSPHRASE, header?.cipher as Parameters<typeof createPassphraseCipher>[1], { cost: FAST_COST })
  return trackVault(await openVault({ path: vaultPath(dir), openStore: confStore(dir), cipher }))
}

describe('vault schema 1 → 2', () => {
  it('is this build’s version, with the step in the production list', () => {
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2)
    expect(MIGRATIONS).toContain(MIGRATE_V1_TO_V2)
    expect(MIGRATIONS.map((step) => [step.from, step.to])[0]).toEqual([1, 2])
  })

  it('opens a vault written by version 1 and loses nothing: records, sealed values, spent tokens, settings', async () => {
    const original = fs.readFileSync(path.join(FIXTURE, 'vault.json'))
    const v1 = JSON.parse(original.toString('utf8')) as V1File
    expect(v1.schemaVersion).toBe(1)
    const dir = copyFixture()
    const vault = await openCopy(dir)

    // The original is kept beside it, byte for byte, and the file is now this build's version.
    expect(bytes(`${vaultPath(dir)}.v1.bak`)).toEqual(original)
    const migrated = JSON.parse(fs.readFileSync(vaultPath(dir), 'utf8')) as V1File & { entries: Record<string, unknown> }
    expect(migrated.schemaVersion).toBe(SCHEMA_VERSION)
    // Every record as version 1 wrote it; its sealed values are sealed again, bound to the record (schema 4), and
    // open below to what version 1 stored.
    expect(Object.keys(migrated.libraries)).toEqual(Object.keys(v1.libraries))
    for (const [id, library] of Object.entries(v1.libraries)) {
      expect(migrated.libraries[id]?.meta).toEqual(library.meta)
      expect(Object.keys(migrated.libraries[id]?.secrets ?? {}).sort()).toEqual(Object.keys(library.secrets).sort())
      for (const [field, sealed] of Object.entries(library.secrets)) expect(migrated.libraries[id]?.secrets[field]).not.toBe(sealed)
    }
    expect(migrated.settings).toEqual(v1.settings)
    expect(vault.list().map((meta) => meta.id)).toEqual(['v1-nord', 'v1-west', 'v1-pat', 'v1-unknown'])
    for (const meta of vault.list()) expect(meta).toEqual(v1.libraries[meta.id]?.meta)

    // The secrets open to what was stored.
    const sandbox = await startSandbox({ seed: 1 })
    try {
      const pat = sandbox.fixtures.user.token
      const nord = sandbox.fixtures.libraries.find((library) => library.id === 1001)!
      expect(await vault.secrets('v1-pat')).toEqual({ clientSecret: pat.clientSecret, accessToken: pat.accessToken, refreshToken: pat.refreshToken })
      expect(await vault.secrets('v1-nord')).toEqual({ clientSecret: nord.clientSecret, accessToken: nord.accessToken, refreshToken: nord.refreshToken })
    } finally {
      await sandbox.close()
    }
    expect(await vault.secrets('v1-unknown')).toEqual({ clientSecret: 'v1-fixture-client-secret', accessToken: 'v1-fixture-access-token', refreshToken: 'v1-fixture-refresh-token' })
    expect(vault.isSpent('v1-fixture-refresh-token-already-spent')).toBe(true)
    expect(vault.settings()).toMatchObject({ expiringSoonMs: 36 * 3600_000, notifications: { expiring: false, failed: true, needsReauth: true } })
    expect(vault.get('v1-unknown')).toMatchObject({ tokenState: 'needs_reauth', lastError: { kind: 'invalid_grant' } })

    // The personal record whose library was known gets one entry for it; the other, none.
    expect(vault.entries()).toEqual([
      {
        id: expect.stringMatching(/^entry-[0-9a-f]{32}$/),
        name: 'Brasserie Nord',
        connectionId: 'v1-pat',
        apicbaseLibraryId: '1001',
        apicbaseLibraryName: 'Brasserie Nord',
        addedAt: AT,
        lastUsedAt: AT + 2000
      }
    ])
    expect(Object.values(migrated.entries)).toEqual(vault.entries())
    const entryId = vault.entries()[0]!.id
    expect(vault.stats().writes).toBe(1)
    await vault.close()

    // Opened again: nothing to migrate, nothing written, the same entry.
    const again = await openCopy(dir)
    expect(again.stats().writes).toBe(0)
    expect(again.entries().map((entry) => entry.id)).toEqual([entryId])
  })

  it('the same file migrates to the same entry ids', () => {
    const v1 = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'vault.json'), 'utf8')) as Record<string, unknown>
    const first = MIGRATE_V1_TO_V2.migrate(structuredClone(v1))
    const second = MIGRATE_V1_TO_V2.migrate(structuredClone(v1))
    expect(first['entries']).toEqual(second['entries'])
    expect(Object.keys(first).sort()).toEqual([...Object.keys(v1), 'entries'].sort())
  })

  it('refuses, unchanged, a version 1 file that already has entries (it was not written by version 1)', async () => {
    const dir = copyFixture()
    const file = vaultPath(dir)
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>
    fs.writeFileSync(file, JSON.stringify({ ...data, entries: {} }))
    const before = bytes(file)
    const error = await openCopy(dir).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(VaultVersionError)
    expect((error as Error).message).toMatch(/migration from schema version 1 to 2 failed/)
    expect(bytes(file)).toEqual(before)
    expect(fs.existsSync(`${file}.v1.bak`)).toBe(false)
  })

  it('leaves a damaged version 1 file for the reader to refuse with its own words', () => {
    expect(MIGRATE_V1_TO_V2.migrate({ schemaVersion: 1, libraries: 'nope' })).toEqual({ schemaVersion: 1, libraries: 'nope', entries: {} })
    const odd = MIGRATE_V1_TO_V2.migrate({ libraries: { a: null, b: { meta: { tokenType: 'personal', apicbaseLibraryId: 7 } } } })
    expect(odd['entries']).toEqual({})
  })
})
