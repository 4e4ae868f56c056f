// The journal: a batch appends only the records it changed; the file is rewritten only to compact. Whatever
// state the files are left in by a crash, opening gives the latest durable state, and damage is refused.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { VaultCorruptError } from '../../../src/main/core/vault/errors.ts'
import { SCHEMA_VERSION } from '../../../src/main/core/vault/migrations.ts'
import { spentFingerprint } from '../../../src/main/core/vault/spent-ledger.ts'
import { openVault, restoreBackup } from '../../../src/main/core/vault/vault.ts'
import {
  asBeforeBinding,
  breakJournal,
  bytes,
  crashCopy,
  durableContent,
  everythingOnDisk,
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

const journalOf = (dir: string): string => `${vaultPath(dir)}.journal`


async function vaultWithJournal() {
  const dir = tempDir()
  const cipher = await newCipher()
  const vault = await open(dir, cipher)
  const secrets = { a: makeSecrets('a'), b: makeSecrets('b') }
  await vault.add(makeMeta('a', { name: 'Alpha' }), secrets.a)
  await vault.add(makeMeta('b'), secrets.b)
  const pair = makePair('a2')
  await vault.commitRotation('a', { sentRefreshToken: secrets.a.refreshToken, pair })
  return { dir, cipher, vault, secrets, pair }
}

describe('vault: the journal', () => {
  it('appends only the changed records, leaves the file alone, and a crash loses none of it', async () => {
    const { dir, cipher, vault, pair } = await vaultWithJournal()
    const file = bytes(vaultPath(dir))
    const journalBefore = fs.statSync(journalOf(dir)).size
    const writes = vault.stats()
    await vault.patch('b', { name: 'Bravo' })
    expect(vault.stats().writes).toBe(writes.writes + 1)
    expect(vault.stats().fullWrites).toBe(writes.fullWrites)
    expect(bytes(vaultPath(dir))).toEqual(file)
    const appended = fs.readFileSync(journalOf(dir)).subarray(journalBefore).toString('utf8')
    expect(appended.split('\n').filter(Boolean)).toHaveLength(1)
    expect(appended).toContain('Bravo')
    expect(appended).not.toContain('Alpha')

    const reopened = trackVault(await openVault(options(crashCopy(dir), cipher)))
    expect(reopened.list().map((meta) => [meta.id, meta.name])).toEqual([
      ['a', 'Alpha'],
      ['b', 'Bravo']
    ])
    expect((await reopened.secrets('a')).refreshToken).toBe(pair.refreshToken)
    // The open folded the journal into the file, so it is in the backup too and replayed only once.
    expect(reopened.stats().fullWrites).toBe(1)
  })

  it('skips a last line cut off before its fsync, and lines of an older generation', async () => {
    const { dir, cipher, pair } = await vaultWithJournal()
    const copy = crashCopy(dir)
    const journal = journalOf(copy)
    const stale = JSON.stringify({ j: '0'.repeat(32), drop: 'a' })
    fs.writeFileSync(journal, `${fs.readFileSync(journal, 'utf8')}${stale}\n{"j":"cut off befo`)
    const reopened = trackVault(await openVault(options(copy, cipher)))
    expect(reopened.list().map((meta) => meta.id)).toEqual(['a', 'b'])
    expect((await reopened.secrets('a')).refreshToken).toBe(pair.refreshToken)
  })

  it('refuses a journal with a damaged line, changing nothing; restoring the backup keeps it aside and replays what still reads', async () => {
    const { dir, cipher, vault } = await vaultWithJournal()
    await vault.close()
    const reopened = trackVault(await openVault(options(dir, cipher))) // its backup now holds both libraries
    await reopened.patch('b', { name: 'Bravo' })
    await reopened.patch('a', { name: 'Alpha Prime' })
    const copy = crashCopy(dir)
    const journal = journalOf(copy)
    const lines = fs.readFileSync(journal, 'utf8').split('\n')
    lines[0] = lines[0]!.replace('"meta"', '"mEta')
    fs.writeFileSync(journal, lines.join('\n'))
    const before = everythingOnDisk(copy)
    const error = await openVault(options(copy, cipher)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(VaultCorruptError)
    expect((error as Error).message).toMatch(/journal .*line 1 is damaged/)
    expect(everythingOnDisk(copy)).toBe(before)

    const restored = trackVault(await restoreBackup(options(copy, cipher)))
    // Line 1 (b renamed) is lost with the damage; line 2 (a renamed) still reads and continues the backup.
    expect(restored.list().map((meta) => meta.name)).toEqual(['Alpha Prime', 'Library b'])
    const aside = fs.readdirSync(copy).filter((name) => name.startsWith('vault.json.journal.damaged-'))
    expect(aside).toHaveLength(1)
    expect(fs.readFileSync(path.join(copy, aside[0]!), 'utf8')).toBe(lines.join('\n'))
  })

  it('restoring the backup replays the journal that continues it', async () => {
    const { dir, cipher, vault, pair } = await vaultWithJournal()
    await vault.close()
    const reopened = trackVault(await openVault(options(dir, cipher)))
    const next = makePair('a3')
    await reopened.commitRotation('a', { sentRefreshToken: pair.refreshToken, pair: next })
    const copy = crashCopy(dir)
    fs.writeFileSync(vaultPath(copy), 'damaged')
    const restored = trackVault(await restoreBackup(options(copy, cipher)))
    expect((await restored.secrets('a')).refreshToken).toBe(next.refreshToken)
  })

  it('compacts once the journal outgrows the file and the vault is quiet', async () => {
    const { dir, vault, secrets } = await vaultWithJournal()
    let sent = secrets.b.refreshToken
    const fullWrites = vault.stats().fullWrites
    while (vault.stats().journalBytes <= fs.statSync(vaultPath(dir)).size) {
      const pair = makePair('b')
      await vault.commitRotation('b', { sentRefreshToken: sent, pair })
      sent = pair.refreshToken
    }
    expect(vault.stats().fullWrites).toBe(fullWrites)
    await new Promise((resolve) => setTimeout(resolve, 1_300))
    expect(vault.stats().fullWrites).toBe(fullWrites + 1)
    expect(vault.stats().journalBytes).toBe(0)
    expect(fs.existsSync(journalOf(dir))).toBe(false)
    expect(durableContent(dir).libraries['b']?.meta.expiresAt).toBe(vault.get('b')?.expiresAt)
  })

  it('writes the whole file when the journal cannot be appended to, so nobody waits on a broken journal', async () => {
    const { dir, cipher, vault, pair } = await vaultWithJournal()
    await vault.close() // compacted: the journal is gone
    const reopened = trackVault(await openVault(options(dir, cipher)))
    breakJournal(dir)
    const next = makePair('a3')
    const fullWrites = reopened.stats().fullWrites
    await reopened.commitRotation('a', { sentRefreshToken: pair.refreshToken, pair: next })
    expect(reopened.stats()).toMatchObject({ fullWrites: fullWrites + 1, failedWrites: 0 })
    expect(fs.existsSync(journalOf(dir))).toBe(false) // the broken link was let go of
    await reopened.patch('b', { name: 'Bravo' }) // and appending works again
    expect(reopened.stats().fullWrites).toBe(fullWrites + 1)
    const reader = trackVault(await openVault(options(crashCopy(dir), cipher)))
    expect((await reader.secrets('a')).refreshToken).toBe(next.refreshToken)
    expect(reader.get('b')?.name).toBe('Bravo')
  })

  it('keeps a journal with no vault file to continue aside instead of emptying it', async () => {
    const { dir, cipher } = await vaultWithJournal()
    const copy = crashCopy(dir)
    fs.rmSync(vaultPath(copy))
    fs.rmSync(`${vaultPath(copy)}.bak`)
    const orphan = fs.readFileSync(journalOf(copy))
    trackVault(await openVault(options(copy, cipher)))
    const aside = fs.readdirSync(copy).filter((name) => name.startsWith('vault.json.journal.orphaned-'))
    expect(aside).toHaveLength(1)
    expect(fs.readFileSync(path.join(copy, aside[0]!))).toEqual(orphan)
  })

  it('opens a version 2 file (no journal), keeps it as .v2.bak and writes it as this version', async () => {
    const { dir, cipher, vault } = await vaultWithJournal()
    await vault.close()
    const v2 = JSON.parse(fs.readFileSync(vaultPath(dir), 'utf8')) as Record<string, unknown>
    delete v2['journal']
    v2['schemaVersion'] = 2
    fs.writeFileSync(vaultPath(dir), JSON.stringify(v2))
    asBeforeBinding(dir)
    const original = fs.readFileSync(vaultPath(dir))
    const reopened = trackVault(await openVault(options(dir, cipher)))
    expect(reopened.list().map((meta) => meta.id)).toEqual(['a', 'b'])
    expect(bytes(`${vaultPath(dir)}.v2.bak`)).toEqual(original)
    const written = JSON.parse(fs.readFileSync(vaultPath(dir), 'utf8')) as Record<string, unknown>
    expect(written['schemaVersion']).toBe(SCHEMA_VERSION)
    expect(written['journal']).toMatch(/^[0-9a-f]{32}$/)
  })
})

describe('vault: the journal and the spent-token ledger', () => {
  it('carries the batch’s spent fingerprints, so a ledger write cut off is made good at the next open', async () => {
    const { dir, cipher, secrets, pair } = await vaultWithJournal()
    const copy = crashCopy(dir)
    const ledger = `${vaultPath(copy)}.spent`
    const fingerprint = spentFingerprint(secrets.a.refreshToken)
    // The crash hit after the journal's write landed and before the ledger's did.
    fs.writeFileSync(ledger, fs.readFileSync(ledger, 'utf8').replace(`${fingerprint}\n`, ''))
    expect(fs.readFileSync(journalOf(copy), 'utf8')).toContain(fingerprint)
    const reopened = trackVault(await openVault(options(copy, cipher)))
    expect(reopened.isSpent(secrets.a.refreshToken)).toBe(true)
    expect(fs.readFileSync(ledger, 'utf8')).toContain(fingerprint)
    expect((await reopened.secrets('a')).refreshToken).toBe(pair.refreshToken)
  })
})
