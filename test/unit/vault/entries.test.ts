// Personal entries in the vault: libraries reached through a personal token, stored as metadata next to the record
// that holds the token, written in the same file and the same group commits, with no secrets of their own.
import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/main/core/errors.ts'
import type { PersonalEntryMeta } from '../../../src/main/core/model.ts'
import { VaultCorruptError } from '../../../src/main/core/vault/errors.ts'
import { bytes, durableContent, durableBytes, everythingOnDisk, makeMeta, makeSecrets, newCipher, open, tempDir, vaultPath } from './fixtures.ts'

function entry(id: string, connectionId: string, libraryId: string, overrides: Partial<PersonalEntryMeta> = {}): PersonalEntryMeta {
  return { id, name: `Library ${libraryId}`, connectionId, apicbaseLibraryId: libraryId, apicbaseLibraryName: null, addedAt: 1_700_000_000_000, lastUsedAt: null, ...overrides }
}

async function withConnection() {
  const dir = tempDir()
  const cipher = await newCipher()
  const vault = await open(dir, cipher)
  const secrets = makeSecrets('pat')
  await vault.add(makeMeta('pat', { tokenType: 'personal', name: 'Pat' }), secrets)
  await vault.add(makeMeta('svc', { tokenType: 'service_account' }), makeSecrets('svc'))
  return { dir, cipher, vault, secrets }
}

describe('vault: personal entries', () => {
  it('adds entries of a personal token in one write, without secrets, and keeps them across a reopen', async () => {
    const { dir, cipher, vault, secrets } = await withConnection()
    const writes = vault.stats().writes
    await vault.addEntries([entry('e1', 'pat', '1001'), entry('e2', 'pat', '1002', { apicbaseLibraryName: 'Café Zuid' })])
    expect(vault.stats().writes).toBe(writes + 1)
    expect(vault.entries().map((e) => e.id)).toEqual(['e1', 'e2'])
    expect(vault.entry('e2')).toMatchObject({ connectionId: 'pat', apicbaseLibraryName: 'Café Zuid' })
    expect(vault.get('e1')).toBeUndefined() // records hold tokens; entries are not records
    await expect(vault.secrets('e1')).rejects.toThrow(InputError)
    expect(Object.keys(durableContent(dir).entries)).toEqual(['e1', 'e2'])
    for (const value of Object.values(secrets)) expect(everythingOnDisk(dir)).not.toContain(value)
    await vault.close()
    const again = await open(dir, cipher)
    expect(again.entries()).toEqual(vault.entries())
    expect(again.stats().writes).toBe(0)
  })

  it('refuses entries of a token that is not personal, of no record, with a taken id, or malformed; nothing is written', async () => {
    const { dir, vault } = await withConnection()
    await vault.addEntries([entry('e1', 'pat', '1001')])
    const before = durableBytes(dir)
    const cases: [PersonalEntryMeta[], RegExp, string][] = [
      [[entry('e2', 'svc', '1001')], /does not hold a personal token/, 'entries[0].connectionId'],
      [[entry('e2', 'nobody', '1001')], /no library with id "nobody"/, 'entries[0].connectionId'],
      [[entry('e1', 'pat', '1002')], /already in the vault/, 'entries[0].id'],
      [[entry('svc', 'pat', '1002')], /already in the vault/, 'entries[0].id'],
      [[entry('e2', 'pat', '1002'), entry('e2', 'pat', '1003')], /already in the vault/, 'entries[1].id'],
      [[entry('e2', 'pat', '1002', { name: ' padded ' })], /spaces or line breaks around it/, 'entries[0].name'],
      [[{ ...entry('e2', 'pat', '1002'), secret: 'x' } as PersonalEntryMeta], /not a field Larder knows/, 'entries[0].secret']
    ]
    for (const [entries, message, field] of cases) {
      const error = await vault.addEntries(entries).catch((e: unknown) => e)
      expect(error, field).toBeInstanceOf(InputError)
      expect((error as InputError).field).toBe(field)
      expect((error as Error).message).toMatch(message)
    }
    // A record cannot take an entry's id either.
    await expect(vault.add(makeMeta('e1'), makeSecrets('e1'))).rejects.toThrow(/already in the vault/)
    await vault.flush()
    expect(durableBytes(dir)).toEqual(before)
    expect(vault.entries().map((e) => e.id)).toEqual(['e1'])
  })

  it('removing the record removes its entries in the same write; removing an entry keeps the record', async () => {
    const { vault } = await withConnection()
    await vault.addEntries([entry('e1', 'pat', '1001'), entry('e2', 'pat', '1002')])
    await vault.remove('e1')
    expect(vault.get('pat')).toBeDefined()
    expect(vault.entries().map((e) => e.id)).toEqual(['e2'])
    const writes = vault.stats().writes
    await vault.remove('pat')
    expect(vault.stats().writes).toBe(writes + 1)
    expect(vault.entries()).toEqual([])
    expect(vault.list().map((meta) => meta.id)).toEqual(['svc'])
  })

  it('patches an entry’s name and last use, nothing else', async () => {
    const { vault } = await withConnection()
    await vault.addEntries([entry('e1', 'pat', '1001')])
    await vault.patchEntry('e1', { name: 'Nord', lastUsedAt: 5 })
    expect(vault.entry('e1')).toMatchObject({ name: 'Nord', lastUsedAt: 5, apicbaseLibraryId: '1001' })
    await expect(vault.patchEntry('e1', { connectionId: 'svc' } as never)).rejects.toThrow(/not a field Larder knows/)
    await expect(vault.patchEntry('nope', { name: 'x' })).rejects.toThrow(/no library with id "nope"/)
  })

  it('takes entries another writer added, keeps its own unwritten ones, and hides entries left without their token', async () => {
    const { dir, cipher, vault } = await withConnection()
    await vault.addEntries([entry('e1', 'pat', '1001')])
    const other = await open(dir, cipher)
    await other.addEntries([entry('e2', 'pat', '1002')])
    await other.close()
    expect(await vault.reloadIfChanged()).toBe(true)
    expect(vault.entries().map((e) => e.id)).toEqual(['e1', 'e2'])
    await vault.close()
    // A hand edit that leaves an entry without its record: the file still opens, the entry is not listed.
    const file = vaultPath(dir)
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { entries: Record<string, PersonalEntryMeta> }
    data.entries['orphan'] = entry('orphan', 'gone', '1003')
    fs.writeFileSync(file, JSON.stringify(data))
    const reopened = await open(dir, cipher)
    expect(reopened.entries().map((e) => e.id)).toEqual(['e1', 'e2'])
    expect(reopened.entry('orphan')).toBeUndefined()
  })

  it('refuses a file whose entry takes a record’s id, or is malformed, as damaged and unchanged', async () => {
    const { dir, cipher, vault } = await withConnection()
    await vault.close()
    const file = vaultPath(dir)
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>
    for (const entries of [{ pat: entry('pat', 'pat', '1') }, { e: { ...entry('e', 'pat', '1'), name: 42 } }, { e: entry('f', 'pat', '1') }, []]) {
      fs.writeFileSync(file, JSON.stringify({ ...data, entries }))
      const before = bytes(file)
      const error = await open(dir, cipher).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(VaultCorruptError)
      expect((error as VaultCorruptError).reason).toBe('wrong_shape')
      expect(bytes(file)).toEqual(before)
    }
  })
})
