// The journal under faults: a write cut short by a full disk, a file of another generation put in place while a
// batch is being written, a journal that no longer reads, a backup restored after a compaction. In each, a token
// the vault said was durable must still be there after a crash, and the vault must still open.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { JsonFileStore } from '../../../src/main/core/vault/vault-types.ts'
import { openVault, restoreBackup } from '../../../src/main/core/vault/vault.ts'
import {
  crashCopy,
  diskFull,
  durableContent,
  faultyStore,
  makeMeta,
  makePair,
  makeSecrets,
  newCipher,
  open,
  options,
  tempDir,
  trackVault,
  vaultPath
} from './fixtures.ts'

afterEach(() => {
  vi.restoreAllMocks()
})

const journalOf = (dir: string): string => `${vaultPath(dir)}.journal`

/** A store whose whole-file writes fail while `full.disk` is set, as on a full disk. */
function storeOn(dir: string, full: { disk: boolean }): () => JsonFileStore {
  return faultyStore(dir, () => (full.disk ? diskFull() : null))
}

type WriteCallback = (error: NodeJS.ErrnoException | null, written: number, buffer: Buffer) => void

/** Appends (fs.write) that reach the disk only half-way while `full.disk` is set, or take `slowMs` longer. */
function interceptAppends(full: { disk: boolean; slowMs?: number }): void {
  const realWrite = fs.write.bind(fs) as unknown as (fd: number, buffer: Buffer, offset: number, length: number, position: null, callback: WriteCallback) => void
  vi.spyOn(fs, 'write').mockImplementation(((fd: number, buffer: Buffer, offset: number, length: number, position: null, callback: WriteCallback) => {
    const length_ = full.disk ? Math.floor(length / 2) : length
    const write = (): void => realWrite(fd, buffer, offset, length_, position, callback)
    if (full.slowMs) setTimeout(write, full.slowMs)
    else write()
  }) as unknown as typeof fs.write)
}

describe('vault journal: faults', () => {
  it('a journal write cut short, then a failed whole-file write: nothing is glued onto the torn line', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    const full = { disk: false }
    const vault = trackVault(await openVault({ ...options(dir, cipher), openStore: storeOn(dir, full) }))
    const secrets = makeSecrets('a')
    await vault.add(makeMeta('a'), secrets)
    await vault.add(makeMeta('b'), makeSecrets('b'))
    interceptAppends(full)
    full.disk = true
    await expect(vault.commitRotation('a', { sentRefreshToken: secrets.refreshToken, pair: makePair('a2') })).rejects.toThrow(/could not save/)
    full.disk = false
    await vault.patch('b', { name: 'Bravo' })
    const reopened = trackVault(await openVault(options(crashCopy(dir), cipher)))
    expect(reopened.get('b')?.name).toBe('Bravo')
    expect(reopened.get('a')?.expiresAt).toBe(vault.get('a')?.expiresAt)
  })

  it('a file of another generation taken from disk while a batch is written: the rotation is written again before it is acknowledged', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    const setup = await open(dir, cipher)
    const secrets = makeSecrets('a')
    await setup.add(makeMeta('a'), secrets)
    await setup.close()
    const vault = trackVault(await openVault(options(dir, cipher)))
    const external = JSON.parse(fs.readFileSync(vaultPath(dir), 'utf8')) as Record<string, unknown>
    external['journal'] = 'f'.repeat(32)
    interceptAppends({ disk: false, slowMs: 80 })
    const pair = makePair('a2')
    const committed = vault.commitRotation('a', { sentRefreshToken: secrets.refreshToken, pair })
    await new Promise((resolve) => setTimeout(resolve, 40)) // the batch is waiting for its journal write
    fs.writeFileSync(`${vaultPath(dir)}.ext`, JSON.stringify(external))
    fs.renameSync(`${vaultPath(dir)}.ext`, vaultPath(dir))
    await vault.reloadIfChanged()
    await committed
    vi.restoreAllMocks()
    // Durable as the file and its own generation's lines, not only through the salvage of another generation.
    expect(durableContent(dir).libraries['a']?.meta.expiresAt).toBe(pair.expiresAt)
    const reopened = trackVault(await openVault(options(crashCopy(dir), cipher)))
    expect((await reopened.secrets('a')).refreshToken).toBe(pair.refreshToken)
  })

  it('its own journal no longer telling what was made durable: a touched file does not undo what memory holds', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    const setup = await open(dir, cipher)
    await setup.add(makeMeta('a'), makeSecrets('a'))
    await setup.add(makeMeta('b'), makeSecrets('b'))
    await setup.close()
    const vault = trackVault(await openVault(options(dir, cipher)))
    const fresh = makePair('a-reauth')
    // Removing a library writes the whole file (its secrets must leave the journal), so it comes first here.
    await vault.remove('b')
    await vault.reauthorize('a', fresh)
    // The journal is cut short behind the vault's back, and the file is touched (a sync client, a backup tool).
    fs.truncateSync(journalOf(dir), 10)
    const later = new Date(Date.now() + 5_000)
    fs.utimesSync(vaultPath(dir), later, later)
    await vault.reloadIfChanged()
    expect(vault.get('b')).toBeUndefined()
    await vault.flush()
    const reopened = trackVault(await openVault(options(crashCopy(dir), cipher)))
    expect((await reopened.secrets('a')).refreshToken).toBe(fresh.refreshToken)
    expect(reopened.get('b')).toBeUndefined()
  })

  it('restoring the backup after a compaction takes the live token from the newer generation’s lines, and keeps the journal', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    const setup = await open(dir, cipher)
    const secrets = makeSecrets('a')
    await setup.add(makeMeta('a'), secrets)
    await setup.close()
    const vault = trackVault(await openVault(options(dir, cipher))) // the backup now holds this generation
    const second = makePair('a2')
    await vault.commitRotation('a', { sentRefreshToken: secrets.refreshToken, pair: second })
    await vault.updateSettings({ clipboardClearMs: 60_000 }) // written whole: a new generation
    const third = makePair('a3')
    await vault.commitRotation('a', { sentRefreshToken: second.refreshToken, pair: third })
    const copy = crashCopy(dir)
    fs.writeFileSync(vaultPath(copy), '{"schemaVersion": 3, "cip')
    const journal = fs.readFileSync(journalOf(copy))
    const restored = trackVault(await restoreBackup(options(copy, cipher)))
    expect((await restored.secrets('a')).refreshToken).toBe(third.refreshToken)
    expect(restored.isSpent(second.refreshToken)).toBe(true)
    const kept = fs.readdirSync(copy).filter((name) => name.startsWith('vault.json.journal.superseded-'))
    expect(kept).toHaveLength(1)
    expect(fs.readFileSync(path.join(copy, kept[0]!))).toEqual(journal)
  })

  it('one id removed as a library and added as an entry in the same batch still opens', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    const setup = await open(dir, cipher)
    await setup.add(makeMeta('pat', { tokenType: 'personal' }), makeSecrets('pat'))
    await setup.add(makeMeta('x'), makeSecrets('x'))
    await setup.close()
    const vault = trackVault(await openVault(options(dir, cipher)))
    const entry = { id: 'x', name: 'X through Pat', connectionId: 'pat', apicbaseLibraryId: '1001', apicbaseLibraryName: null, addedAt: 1_700_000_000_000, lastUsedAt: null }
    await Promise.all([vault.remove('x'), vault.addEntries([entry])])
    const reopened = trackVault(await openVault(options(crashCopy(dir), cipher)))
    expect(reopened.get('x')).toBeUndefined()
    expect(reopened.entry('x')).toMatchObject({ connectionId: 'pat' })
  })
})
