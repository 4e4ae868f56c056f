import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/main/core/errors.ts'
import { BOUND_MARKER } from '../../../src/main/core/vault/spent-ledger.ts'
import { openVault, restoreBackup, type ExternalChange } from '../../../src/main/core/vault/vault.ts'
import {
  breakJournal,
  durableBytes,
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

describe('vault: spent refresh tokens', () => {
  it('survive a restore from backup, so a restored dead token is recognised instead of sent', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    const first = makeSecrets('restore')
    let vault = await open(dir, cipher)
    await vault.add(makeMeta('lib', { name: 'Soup Co' }), first)
    await vault.close()
    vault = await open(dir, cipher) // the backup now holds the first refresh token
    const pair = makePair('restore2')
    await vault.commitRotation('lib', { sentRefreshToken: first.refreshToken, pair })
    await vault.close()

    fs.writeFileSync(vaultPath(dir), 'damaged')
    const restored = trackVault(await restoreBackup(options(dir, cipher)))
    const { refreshToken } = await restored.secrets('lib')
    expect(refreshToken).toBe(first.refreshToken)
    expect(restored.isSpent(refreshToken)).toBe(true)
    expect(restored.isSpent(pair.refreshToken)).toBe(false)
  })

  it('refuses to add or reauthorize with a refresh token that was already used', async () => {
    const dir = tempDir()
    const vault = await open(dir, await newCipher())
    const first = makeSecrets('used')
    await vault.add(makeMeta('lib'), first)
    await vault.commitRotation('lib', { sentRefreshToken: first.refreshToken, pair: makePair('used2') })
    const before = durableBytes(dir)
    await expect(vault.add(makeMeta('other'), { ...makeSecrets('o'), refreshToken: first.refreshToken })).rejects.toThrow(/already been used/)
    await expect(vault.reauthorize('lib', { ...makePair('r'), refreshToken: first.refreshToken })).rejects.toThrow(InputError)
    expect(durableBytes(dir)).toEqual(before)
  })

  it('records the consumed token even when the library was removed while its refresh was in flight', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    const vault = await open(dir, cipher)
    const first = makeSecrets('gone')
    await vault.add(makeMeta('gone'), first)
    await vault.remove('gone')
    await expect(vault.commitRotation('gone', { sentRefreshToken: first.refreshToken, pair: makePair('gone2') })).rejects.toThrow(/removed while/)
    await vault.close()
    const reopened = await open(dir, cipher)
    expect(reopened.isSpent(first.refreshToken)).toBe(true)
  })

  it('reads the ledger past a torn last line and keeps appending on a fresh line', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    let vault = await open(dir, cipher)
    const first = makeSecrets('torn')
    await vault.add(makeMeta('lib'), first)
    const second = makePair('torn2')
    await vault.commitRotation('lib', { sentRefreshToken: first.refreshToken, pair: second })
    await vault.close()
    fs.appendFileSync(`${vaultPath(dir)}.spent`, 'deadbeef') // a crash mid-append
    vault = await open(dir, cipher)
    expect(vault.isSpent(first.refreshToken)).toBe(true)
    const third = makePair('torn3')
    await vault.commitRotation('lib', { sentRefreshToken: second.refreshToken, pair: third })
    await vault.close()
    vault = await open(dir, cipher)
    expect(vault.isSpent(second.refreshToken)).toBe(true)
    // The fingerprint lines (day marks and the bound marker are the ledger's own bookkeeping).
    const lines = fs
      .readFileSync(`${vaultPath(dir)}.spent`, 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('@') && line !== BOUND_MARKER)
    expect(lines).toHaveLength(3)
    expect(lines[1]).toBe('deadbeef')
  })
})

describe('vault: a file changed behind its back', () => {
  it('is re-read before secrets are handed out, without losing a live token memory holds', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    const changes: ExternalChange[] = []
    const first = makeSecrets('ext')
    const pair = makePair('ext2')
    let vault = await open(dir, cipher)
    await vault.add(makeMeta('lib', { name: 'Old Name' }), first)
    await vault.add(makeMeta('other'), makeSecrets('other'))
    await vault.close() // closing folds the journal into the file
    const oldCopy = fs.readFileSync(vaultPath(dir))
    vault = await open(dir, cipher)
    await vault.commitRotation('lib', { sentRefreshToken: first.refreshToken, pair })
    await vault.patch('other', { name: 'Patched Later' })
    await vault.close()
    vault = await open(dir, cipher, { onExternalChange: (change) => changes.push(change) })

    // Someone copies the old file back in (a backup tool, a sync client).
    fs.writeFileSync(vaultPath(dir), oldCopy)
    const secrets = await vault.secrets('lib')
    // The copy's refresh token is spent and memory's is live: memory's record is kept and written back.
    expect(secrets.refreshToken).toBe(pair.refreshToken)
    expect(vault.get('other')?.name).toBe('Library other') // everything else follows the file
    expect(changes).toHaveLength(1)
    expect(changes[0]).toMatchObject({ keptFromMemory: ['lib'], changed: ['other'], added: [], removed: [], movedAside: null })
    await vault.flush()
    const reader = trackVault(await openVault(options(dir, cipher)))
    expect((await reader.secrets('lib')).refreshToken).toBe(pair.refreshToken)
  })

  it('picks up libraries another writer added', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    const a = await open(dir, cipher)
    const b = await open(dir, cipher)
    const secrets = makeSecrets('b')
    await b.add(makeMeta('from-b'), secrets) // appended to the journal they share
    expect(a.get('from-b')).toBeUndefined()
    expect(await a.reloadIfChanged()).toBe(true)
    expect(a.get('from-b')?.id).toBe('from-b')
    expect(await a.secrets('from-b')).toEqual(secrets)
    expect(await a.reloadIfChanged()).toBe(false)
    // And a whole file b writes (its settings changed) is picked up the same way.
    await b.updateSettings({ clipboardClearMs: 15_000 })
    expect(await a.reloadIfChanged()).toBe(true)
    expect(a.settings().clipboardClearMs).toBe(15_000)
    expect(await a.secrets('from-b')).toEqual(secrets)
  })

  it('writes everything back when its journal is deleted or cut short behind its back', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    const vault = await open(dir, cipher)
    const secrets = makeSecrets('j')
    await vault.add(makeMeta('lib'), secrets)
    const pair = makePair('j2')
    await vault.commitRotation('lib', { sentRefreshToken: secrets.refreshToken, pair })
    const journal = `${vaultPath(dir)}.journal`
    fs.truncateSync(journal, fs.statSync(journal).size - 10)
    expect(await vault.reloadIfChanged()).toBe(false) // memory is unchanged: it holds what the journal lost
    await vault.flush()
    expect(vault.stats().fullWrites).toBeGreaterThanOrEqual(2) // the new vault, and the rewrite
    expect(durableContent(dir).libraries['lib']?.meta.expiresAt).toBe(pair.expiresAt)
    await vault.patch('lib', { name: 'Before Deletion' }) // appended to a new journal
    fs.rmSync(journal)
    expect(await vault.reloadIfChanged()).toBe(false)
    await vault.flush()
    const reader = trackVault(await openVault(options(dir, cipher)))
    expect(reader.get('lib')?.name).toBe('Before Deletion')
    expect((await reader.secrets('lib')).refreshToken).toBe(pair.refreshToken)
  })

  it('moves an unreadable file put in its place aside and carries on from memory', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    const changes: ExternalChange[] = []
    const vault = await open(dir, cipher, { onExternalChange: (change) => changes.push(change) })
    const secrets = makeSecrets('keep')
    await vault.add(makeMeta('lib'), secrets)
    fs.writeFileSync(vaultPath(dir), '{ half a file')
    expect(await vault.secrets('lib')).toEqual(secrets)
    await vault.flush()
    const aside = changes[0]?.movedAside
    expect(aside).toMatch(/vault\.json\.damaged-/)
    expect(fs.readFileSync(aside as string, 'utf8')).toBe('{ half a file')
    const reader = trackVault(await openVault(options(dir, cipher)))
    expect(await reader.secrets('lib')).toEqual(secrets)
  })

  it('writes memory back when the file was deleted', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    const vault = await open(dir, cipher)
    const secrets = makeSecrets('del')
    await vault.add(makeMeta('lib'), secrets)
    fs.rmSync(vaultPath(dir))
    expect(await vault.reloadIfChanged()).toBe(true)
    await vault.flush()
    const reader = trackVault(await openVault(options(dir, cipher)))
    expect(await reader.secrets('lib')).toEqual(secrets)
  })

  it('keeps changes not yet written (after a failed write) over an older file put in place', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    let failing = false
    const openStore = faultyStore(dir, () => (failing ? new Error('EIO: i/o error, write') : null))
    const changes: ExternalChange[] = []
    const setup = await openVault({ path: vaultPath(dir), openStore, cipher })
    await setup.add(makeMeta('renamed'), makeSecrets('r'))
    await setup.add(makeMeta('removed'), makeSecrets('x'))
    await setup.add(makeMeta('untouched'), makeSecrets('u'))
    await setup.close() // closing folds the journal into the file
    const oldCopy = fs.readFileSync(vaultPath(dir))
    const vault = trackVault(await openVault({ path: vaultPath(dir), openStore, cipher, onExternalChange: (c) => changes.push(c) }))
    // Written whole (a new generation): the old copy put back below is then an older file, not a copy of this one.
    await vault.updateSettings({ expiringSoonMs: 36 * 3_600_000 })
    breakJournal(dir)
    failing = true
    await expect(vault.patch('renamed', { name: 'New Name' })).rejects.toThrow(/could not save/)
    await expect(vault.remove('removed')).rejects.toThrow(/could not save/)
    await expect(vault.updateSettings({ clipboardClearMs: 15_000 })).rejects.toThrow(/could not save/)
    failing = false
    fs.writeFileSync(vaultPath(dir), oldCopy)
    fs.utimesSync(vaultPath(dir), new Date(), new Date(Date.now() + 5_000))
    expect(await vault.reloadIfChanged()).toBe(true)
    expect(vault.list().map((m) => [m.id, m.name])).toEqual([
      ['renamed', 'New Name'],
      ['untouched', 'Library untouched']
    ])
    expect(vault.settings().clipboardClearMs).toBe(15_000)
    expect(changes[0]?.keptFromMemory).toEqual(['renamed', 'removed'])
    await vault.flush()
    const reader = trackVault(await openVault(options(dir, cipher)))
    expect(reader.list().map((m) => m.name)).toEqual(['New Name', 'Library untouched'])
    expect(reader.settings().clipboardClearMs).toBe(15_000)
  })
})
