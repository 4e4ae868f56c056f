// Issue 13, item 1: each sealed secret is bound to the fields that decide where and how it is sent. A vault from
// before (schema 3, secrets bound to their library and field only) is sealed again once, durably; after that an
// envelope of the old kind, or an old file put back, is refused; and Larder's own changes to a bound field seal
// the secrets again so they keep opening.
import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Cipher } from '../../../src/main/core/vault/cipher.ts'
import { VaultCorruptError } from '../../../src/main/core/vault/errors.ts'
import { SCHEMA_VERSION } from '../../../src/main/core/vault/migrations.ts'
import { openVault, type ExternalChange } from '../../../src/main/core/vault/vault.ts'
import { bytes, diskFull, faultyStore, makeMeta, makeSecrets, newCipher, open, options, tempDir, trackVault, vaultPath, writeVersion3Vault } from './fixtures.ts'

const SEP = '\u001f'

interface FileShape {
  schemaVersion: number
  libraries: Record<string, { meta: Record<string, unknown>; secrets: Record<string, string> }>
}

function readFile(dir: string): FileShape {
  return JSON.parse(fs.readFileSync(vaultPath(dir), 'utf8')) as FileShape
}

/** Each envelope of the file, opened with the cipher: its context word. */
async function contexts(dir: string, cipher: Cipher): Promise<string[]> {
  const found: string[] = []
  for (const library of Object.values(readFile(dir).libraries)) {
    for (const sealed of Object.values(library.secrets)) found.push((await cipher.decrypt(sealed)).split(SEP)[0]!)
  }
  return found
}

async function migratedVault() {
  const dir = tempDir()
  const cipher = await newCipher()
  const nord = { meta: makeMeta('nord', { name: 'Brasserie Nord', apiBaseUrl: 'https://api.apicbase.com' }), secrets: makeSecrets('nord') }
  const west = { meta: makeMeta('west', { name: 'Bistro West' }), secrets: makeSecrets('west') }
  const original = await writeVersion3Vault(dir, cipher, [nord, west])
  return { dir, cipher, nord, west, original }
}

describe('vault: a schema 3 vault is sealed again once, bound', () => {
  it('opens with every secret as it was, keeps the original as .v3.bak, and leaves no unbound envelope', async () => {
    const { dir, cipher, nord, west, original } = await migratedVault()
    const vault = await open(dir, cipher)
    expect(await vault.secrets('nord')).toEqual(nord.secrets)
    expect(await vault.secrets('west')).toEqual(west.secrets)
    expect(vault.list().map((meta) => meta.id)).toEqual(['nord', 'west'])
    expect(bytes(`${vaultPath(dir)}.v3.bak`)).toEqual(original)
    expect(readFile(dir).schemaVersion).toBe(SCHEMA_VERSION)
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(4)
    expect(new Set(await contexts(dir, cipher))).toEqual(new Set(['larder-secret-v2']))
    await vault.close()

    // Opened again: nothing left to do, nothing written.
    const again = await open(dir, cipher)
    expect(again.stats().writes).toBe(0)
    expect(await again.secrets('nord')).toEqual(nord.secrets)
  })

  it('is left exactly as it was when the write is cut short, and migrates at the next open', async () => {
    const { dir, cipher, nord, original } = await migratedVault()
    const failing = openVault(options(dir, cipher, { openStore: faultyStore(dir, diskFull) }))
    await expect(failing).rejects.toThrow()
    expect(bytes(vaultPath(dir))).toEqual(original)
    const vault = await open(dir, cipher)
    expect(await vault.secrets('nord')).toEqual(nord.secrets)
    expect(readFile(dir).schemaVersion).toBe(SCHEMA_VERSION)
  })

  it('refuses, afterwards, an envelope of the old kind put back into a record', async () => {
    const { dir, cipher, original } = await migratedVault()
    await (await open(dir, cipher)).close()
    const old = JSON.parse(original.toString('utf8')) as FileShape
    const file = readFile(dir)
    file.libraries['nord']!.secrets['refreshToken'] = old.libraries['nord']!.secrets['refreshToken']!
    fs.writeFileSync(vaultPath(dir), JSON.stringify(file))
    const vault = await open(dir, cipher)
    await expect(vault.secrets('nord')).rejects.toThrow(/changed outside Larder/)
    expect(vault.get('nord')?.lastError?.kind).toBe('tampered')
    expect(await vault.secrets('west')).toBeTruthy()
  })

  it('refuses a schema 3 copy put back in its place, at open and while running, and changes nothing', async () => {
    const { dir, cipher, original } = await migratedVault()
    await (await open(dir, cipher)).close()
    // The program takes the pre-migration copy and points a library at its own server.
    const rolledBack = JSON.parse(original.toString('utf8')) as FileShape
    rolledBack.libraries['nord']!.meta['apiBaseUrl'] = 'http://127.0.0.1:9'
    const text = JSON.stringify(rolledBack)

    const migrated = fs.readFileSync(vaultPath(dir))
    fs.writeFileSync(vaultPath(dir), text)
    const error = await openVault(options(dir, cipher)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(VaultCorruptError)
    expect((error as VaultCorruptError).reason).toBe('rolled_back')
    expect(fs.readFileSync(vaultPath(dir), 'utf8')).toBe(text)

    fs.writeFileSync(vaultPath(dir), migrated)
    const changes: ExternalChange[] = []
    const vault = trackVault(await openVault(options(dir, cipher, { onExternalChange: (change) => changes.push(change) })))
    fs.writeFileSync(vaultPath(dir), text)
    expect(await vault.reloadIfChanged()).toBe(true)
    expect(changes[0]?.movedAside).toMatch(/vault\.json\.damaged-/)
    expect(fs.readFileSync(changes[0]!.movedAside!, 'utf8')).toBe(text)
    expect(vault.get('nord')?.apiBaseUrl).toBe('https://api.apicbase.com')
    expect(vault.get('nord')?.lastError).toBeNull()
  })
})

describe('vault: Larder’s own changes to a bound field', () => {
  it('seal the secrets again, so they open after a restart; other changes leave the envelopes alone', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    const secrets = makeSecrets('own')
    let vault = await open(dir, cipher)
    await vault.add(makeMeta('lib', { name: 'Own Kitchen' }), secrets)
    await vault.close()
    vault = await open(dir, cipher)
    const before = readFile(dir).libraries['lib']!.secrets
    await vault.patch('lib', { lastUsedAt: 1_700_000_500_000, lastError: null })
    await vault.close()
    expect(readFile(dir).libraries['lib']!.secrets).toEqual(before)

    vault = await open(dir, cipher)
    await vault.patch('lib', { apiBaseUrl: 'http://127.0.0.1:4567', name: 'Renamed Kitchen', apicbaseLibraryId: '1001', apicbaseLibraryName: 'Nord' })
    await vault.replaceCredentials('lib', { clientId: 'new-client', clientSecret: 'new-client-secret' })
    await vault.close()
    vault = await open(dir, cipher)
    expect(vault.get('lib')).toMatchObject({ apiBaseUrl: 'http://127.0.0.1:4567', name: 'Renamed Kitchen', clientId: 'new-client', lastError: null })
    expect(await vault.secrets('lib')).toEqual({ ...secrets, clientSecret: 'new-client-secret' })
  })
})

describe('vault: a record changed outside Larder', () => {
  async function tampered() {
    const dir = tempDir()
    const cipher = await newCipher()
    let vault = await open(dir, cipher)
    await vault.add(makeMeta('lib', { name: 'Soup Co' }), makeSecrets('t'))
    await vault.add(makeMeta('fine'), makeSecrets('f'))
    await vault.close()
    vault = await open(dir, cipher) // saves the backup
    await vault.close()
    const backup = bytes(`${vaultPath(dir)}.bak`)
    const file = readFile(dir)
    file.libraries['lib']!.meta['apiBaseUrl'] = 'http://127.0.0.1:9'
    fs.writeFileSync(vaultPath(dir), JSON.stringify(file))
    return { dir, cipher, backup }
  }

  it('is listed with the failure, refuses every change but removal, and does not replace the last good backup', async () => {
    const { dir, cipher, backup } = await tampered()
    const vault = await open(dir, cipher)
    expect(bytes(`${vaultPath(dir)}.bak`)).toEqual(backup)
    expect(vault.list().find((meta) => meta.id === 'lib')?.lastError).toMatchObject({ kind: 'tampered' })
    expect(vault.get('fine')?.lastError).toBeNull()
    await expect(vault.patch('lib', { name: 'Fixed' })).rejects.toThrow(/changed outside Larder/)
    await expect(vault.replaceCredentials('lib', { clientId: 'c', clientSecret: 's' })).rejects.toThrow(/changed outside Larder/)
    await vault.remove('lib')
    expect(vault.get('lib')).toBeUndefined()
  })

  it('is refused from the moment one of its secrets does not open for it, even if its refresh token did', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    let vault = await open(dir, cipher)
    await vault.add(makeMeta('lib', { apiBaseUrl: 'https://old.example.com' }), makeSecrets('m'))
    await vault.close()
    const sealedForOld = readFile(dir).libraries['lib']!.secrets['clientSecret']!
    vault = await open(dir, cipher)
    await vault.patch('lib', { apiBaseUrl: 'https://api.apicbase.com' })
    await vault.close()
    // The program puts back the client secret as it was sealed when the record had its old base URL.
    const file = readFile(dir)
    file.libraries['lib']!.secrets['clientSecret'] = sealedForOld
    fs.writeFileSync(vaultPath(dir), JSON.stringify(file))
    const changes: ExternalChange[] = []
    vault = await open(dir, cipher, { onExternalChange: (change) => changes.push(change) })
    expect(vault.get('lib')?.lastError).toBeNull()
    await expect(vault.secrets('lib', ['refreshToken'])).resolves.toBeTruthy()
    await expect(vault.secrets('lib', ['clientSecret', 'refreshToken'])).rejects.toThrow(/API base URL/)
    expect(vault.get('lib')?.lastError?.kind).toBe('tampered')
    expect(changes).toEqual([expect.objectContaining({ changed: ['lib'] })])
    await expect(vault.secrets('lib', ['refreshToken'])).rejects.toThrow(/changed outside Larder/)
  })

  it('opens again once the file is put back as Larder wrote it', async () => {
    const { dir, cipher } = await tampered()
    const vault = await open(dir, cipher)
    const file = readFile(dir)
    file.libraries['lib']!.meta['apiBaseUrl'] = 'https://api.apicbase.com'
    fs.writeFileSync(vaultPath(dir), JSON.stringify(file))
    expect(await vault.reloadIfChanged()).toBe(true)
    expect(vault.get('lib')?.lastError).toBeNull()
    expect(await vault.secrets('lib')).toBeTruthy()
  })
})
