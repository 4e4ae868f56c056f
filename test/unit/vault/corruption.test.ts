import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/main/core/errors.ts'
import { VaultCorruptError, VaultVersionError, type CorruptReason } from '../../../src/main/core/vault/errors.ts'
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from '../../../src/main/core/vault/migrations.ts'
import { openVault, readVaultHeader, restoreBackup } from '../../../src/main/core/vault/vault.ts'
import type { Cipher } from '../../../src/main/core/vault/cipher.ts'
import { asBeforeBinding, bytes, confStore, makeMeta, makeSecrets, newCipher, open, options, tempDir, trackVault, vaultPath } from './fixtures.ts'

/** A vault with two libraries, opened twice so its last-good backup holds them. */
async function goodVault(): Promise<{ dir: string; cipher: Cipher; file: string; secrets: ReturnType<typeof makeSecrets> }> {
  const dir = tempDir()
  const cipher = await newCipher()
  const vault = await open(dir, cipher)
  const secrets = makeSecrets('good')
  await vault.add(makeMeta('alpha', { name: 'Alpha Deli' }), secrets)
  await vault.add(makeMeta('beta'), makeSecrets('beta'))
  await vault.close()
  await (await open(dir, cipher)).close()
  return { dir, cipher, file: vaultPath(dir), secrets }
}

function rewrite(file: string, change: (data: Record<string, unknown>) => unknown): void {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>
  fs.writeFileSync(file, JSON.stringify(change(data) ?? data))
}

const damages: [string, CorruptReason, (file: string) => void][] = [
  ['garbage bytes', 'not_json', (file) => fs.writeFileSync(file, Buffer.from([0x00, 0xff, 0x13, 0x37, 0x7b, 0x22, 0xc3]))],
  ['a truncated file', 'not_json', (file) => fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 200))],
  ['an empty file', 'empty', (file) => fs.writeFileSync(file, '')],
  ['a JSON array', 'wrong_shape', (file) => fs.writeFileSync(file, '[1,2,3]')],
  ['libraries that are not an object', 'wrong_shape', (file) => rewrite(file, (d) => ({ ...d, libraries: [] }))],
  [
    'a library with a bad field',
    'wrong_shape',
    (file) =>
      rewrite(file, (d) => {
        const libraries = d['libraries'] as Record<string, { meta: Record<string, unknown> }>
        ;(libraries['alpha'] as { meta: Record<string, unknown> }).meta['expiresAt'] = 'soon'
      })
  ],
  [
    'a library whose secret is missing',
    'wrong_shape',
    (file) =>
      rewrite(file, (d) => {
        const libraries = d['libraries'] as Record<string, { secrets: Record<string, unknown> }>
        delete (libraries['beta'] as { secrets: Record<string, unknown> }).secrets['refreshToken']
      })
  ],
  ['a file without a version', 'missing_version', (file) => rewrite(file, (d) => ({ ...d, schemaVersion: undefined }))],
  [
    'a changed check value',
    'wrong_key',
    (file) => rewrite(file, (d) => ({ ...d, cipher: { ...(d['cipher'] as object), check: 'v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA==:AAAA' } }))
  ]
]

describe('vault: a damaged file is never reset or overwritten', () => {
  for (const [what, reason, damage] of damages) {
    it(`refuses ${what} (${reason}), leaves it byte-for-byte, and points at the backup`, async () => {
      const { dir, cipher, file } = await goodVault()
      damage(file)
      const before = bytes(file)
      let storeOpened = false
      const error = await openVault({
        ...options(dir, cipher),
        openStore: () => {
          storeOpened = true
          return confStore(dir)()
        }
      }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(VaultCorruptError)
      const corrupt = error as VaultCorruptError
      expect(corrupt.reason).toBe(reason)
      expect(corrupt.path).toBe(file)
      expect(corrupt.backup?.path).toBe(`${file}.bak`)
      expect(corrupt.backup?.savedAt).toBeGreaterThan(0)
      expect(corrupt.message).toMatch(/has not been changed/)
      expect(storeOpened).toBe(false)
      expect(bytes(file)).toEqual(before)
    })
  }

  it('refuses a vault opened with another passphrase (another key), unchanged', async () => {
    const { dir, file } = await goodVault()
    const before = bytes(file)
    const error = await openVault(options(dir, await newCipher('a different passphrase'))).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(VaultCorruptError)
    expect((error as VaultCorruptError).reason).toBe('wrong_key')
    expect(bytes(file)).toEqual(before)
  })

  it('keeps a damaged file safe even from a store configured to clear invalid files', async () => {
    const { dir, cipher, file } = await goodVault()
    fs.writeFileSync(file, '{"schemaVersion": 1, "cipher": {"kind": "passphrase", "ch')
    const before = bytes(file)
    await expect(openVault({ ...options(dir, cipher), openStore: confStore(dir, { clearInvalidConfig: true }) })).rejects.toThrow(VaultCorruptError)
    expect(bytes(file)).toEqual(before)
  })

  it('reports damage from readVaultHeader too, and null for a vault that does not exist yet', async () => {
    const { dir, file } = await goodVault()
    expect(readVaultHeader(path.join(dir, 'nothing.json'))).toBeNull()
    fs.writeFileSync(file, 'not json')
    expect(() => readVaultHeader(file)).toThrow(VaultCorruptError)
  })

  it('never quotes file content in the message (it could be a sealed value)', async () => {
    const { dir, cipher, file } = await goodVault()
    fs.writeFileSync(file, '{"schemaVersion":1,"cipher":{"kind":"passphrase","check":"SEALED-VALUE-XYZ"}, oops')
    const error = (await openVault(options(dir, cipher)).catch((e: unknown) => e)) as Error
    expect(error.message).not.toContain('SEALED-VALUE-XYZ')
  })
})

describe('vault: a missing file', () => {
  it('is refused when its backup is still there, and restored from it', async () => {
    const { dir, cipher, file, secrets } = await goodVault()
    fs.rmSync(file)
    const error = await openVault(options(dir, cipher)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(VaultCorruptError)
    expect((error as VaultCorruptError).reason).toBe('missing')
    expect(fs.existsSync(file)).toBe(false)
    expect(() => readVaultHeader(file)).toThrow(VaultCorruptError)
    // The header to unlock with comes from the backup itself.
    const backupPath = (error as VaultCorruptError).backup?.path as string
    expect(readVaultHeader(backupPath)?.cipher.kind).toBe('passphrase')
    const vault = trackVault(await restoreBackup(options(dir, cipher)))
    expect(await vault.secrets('alpha')).toEqual(secrets)
  })
})

describe('vault: restoreBackup', () => {
  it('moves the damaged file aside (kept), puts the last good copy in place and opens it', async () => {
    const { dir, cipher, file, secrets } = await goodVault()
    fs.writeFileSync(file, '{"truncated": ')
    const damaged = bytes(file)
    const vault = trackVault(await restoreBackup(options(dir, cipher, { now: () => Date.UTC(2025, 0, 2, 3, 4, 5) })))
    expect(vault.list().map((m) => m.id)).toEqual(['alpha', 'beta'])
    expect(await vault.secrets('alpha')).toEqual(secrets)
    const aside = fs.readdirSync(dir).filter((name) => name.includes('.damaged-'))
    expect(aside).toEqual(['vault.json.damaged-2025-01-02T03-04-05-000Z'])
    expect(bytes(path.join(dir, aside[0] as string))).toEqual(damaged)
    expect(fs.existsSync(`${file}.bak`)).toBe(true)
  })

  it('moves nothing when the backup does not open either', async () => {
    const { dir, cipher, file } = await goodVault()
    fs.writeFileSync(file, 'garbage')
    fs.writeFileSync(`${file}.bak`, 'also garbage')
    const error = await restoreBackup(options(dir, cipher)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(VaultCorruptError)
    expect((error as VaultCorruptError).path).toBe(`${file}.bak`)
    expect(fs.readFileSync(file, 'utf8')).toBe('garbage')
    expect(fs.readdirSync(dir).some((name) => name.includes('.damaged-'))).toBe(false)
  })

  it('says so when there is no backup', async () => {
    const dir = tempDir()
    fs.writeFileSync(vaultPath(dir), 'garbage')
    await expect(restoreBackup(options(dir, await newCipher()))).rejects.toThrow(InputError)
    expect(fs.readFileSync(vaultPath(dir), 'utf8')).toBe('garbage')
  })
})

/** A test-only history: version 0 called the libraries "libs". There is no real version 0. */
const renameLibs: Migration = {
  from: 0,
  to: 1,
  migrate: (data) => {
    const { libs, ...rest } = data
    return { ...rest, libraries: libs }
  }
}

/** Version 0 of this test: "libs" instead of "libraries", and (being older than versions 2 and 3) no "entries" or "journal". */
function makeVersion0(file: string): void {
  rewrite(file, (d) => {
    const { libraries, entries: _entries, journal: _journal, ...rest } = d
    return { ...rest, schemaVersion: 0, libs: libraries }
  })
}

describe('vault: schema versions', () => {
  it('migrates an older file step by step, backs up the original as .v0.bak and writes it once', async () => {
    const { dir, cipher, file, secrets } = await goodVault()
    makeVersion0(file)
    asBeforeBinding(dir)
    const original = bytes(file)
    const vault = trackVault(await openVault(options(dir, cipher, { migrations: [renameLibs, ...MIGRATIONS] })))
    expect(vault.list().map((m) => m.id)).toEqual(['alpha', 'beta'])
    expect(await vault.secrets('alpha')).toEqual(secrets)
    expect(vault.stats().writes).toBe(1)
    expect(bytes(`${file}.v0.bak`)).toEqual(original)
    const migrated = JSON.parse(fs.readFileSync(file, 'utf8'))
    expect(migrated.schemaVersion).toBe(SCHEMA_VERSION)
    expect(migrated.libs).toBeUndefined()
    await vault.close()
    // Opening again needs no migration and writes nothing.
    const again = trackVault(await openVault(options(dir, cipher, { migrations: [renameLibs, ...MIGRATIONS] })))
    expect(again.stats().writes).toBe(0)
  })

  it('refuses an older file it has no migration for, unchanged', async () => {
    const { dir, cipher, file } = await goodVault()
    makeVersion0(file)
    const before = bytes(file)
    const error = await openVault(options(dir, cipher)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(VaultVersionError)
    expect((error as Error).message).toMatch(/no migration from schema version 0/)
    expect(bytes(file)).toEqual(before)
    expect(fs.existsSync(`${file}.v0.bak`)).toBe(false)
  })

  it('refuses a file whose migration fails or produces a bad file, unchanged', async () => {
    const { dir, cipher, file } = await goodVault()
    makeVersion0(file)
    const before = bytes(file)
    const throwing: Migration = { from: 0, to: 1, migrate: () => { throw new Error('boom') } }
    await expect(openVault(options(dir, cipher, { migrations: [throwing] }))).rejects.toThrow(/migration from schema version 0 to 1 failed: boom/)
    const sloppy: Migration = { from: 0, to: 1, migrate: (data) => data }
    await expect(openVault(options(dir, cipher, { migrations: [sloppy, ...MIGRATIONS] }))).rejects.toThrow(VaultCorruptError)
    expect(bytes(file)).toEqual(before)
  })

  it('refuses a file written by a newer Larder and leaves it untouched', async () => {
    const { dir, cipher, file } = await goodVault()
    rewrite(file, (d) => ({ ...d, schemaVersion: 7, somethingNew: true }))
    const before = bytes(file)
    const error = await openVault(options(dir, cipher)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(VaultVersionError)
    expect((error as VaultVersionError).fileVersion).toBe(7)
    expect((error as Error).message).toMatch(/written by a newer Larder/)
    expect(bytes(file)).toEqual(before)
  })
})
