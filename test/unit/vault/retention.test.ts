// Issue 13, item 7: what accumulates beside the vault. The spent ledger forgets what nothing can bring back after a
// year; copies are deleted after their time only when they hold nothing live the vault lacks; and removing a
// library takes its sealed secrets out of every file Larder keeps, leaving everything else in them.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Cipher } from '../../../src/main/core/vault/cipher.ts'
import { peekSecret } from '../../../src/main/core/vault/sealing.ts'
import { BOUND_MARKER, spentFingerprint } from '../../../src/main/core/vault/spent-ledger.ts'
import { restoreBackup } from '../../../src/main/core/vault/vault.ts'
import { makeMeta, makePair, makeSecrets, newCipher, open, options, tempDir, trackVault, vaultPath, writeVersion3Vault } from './fixtures.ts'

const DAY = 86_400_000

/** A clock the test moves: the vault's `now`, real time shifted by whole days. */
function shiftedClock() {
  const clock = { shift: 0, now: () => Date.now() + clock.shift }
  return clock
}

function ageFile(file: string, days: number): void {
  const at = new Date(Date.now() - days * DAY)
  fs.utimesSync(file, at, at)
}

function ledgerText(dir: string): string {
  return fs.readFileSync(`${vaultPath(dir)}.spent`, 'utf8')
}

/** Every quoted value in every file of the folder that opens as a secret of `libraryId`, by file name. */
async function sealedFor(dir: string, cipher: Cipher, libraryId: string): Promise<Record<string, number>> {
  const found: Record<string, number> = {}
  for (const name of fs.readdirSync(dir)) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8')
    for (const match of text.matchAll(/"((?:[^"\\\n]|\\.){16,})"/g)) {
      const opened = await peekSecret(cipher, JSON.parse(match[0]) as string)
      if (opened?.libraryId === libraryId) found[name] = (found[name] ?? 0) + 1
    }
  }
  return found
}

describe('vault retention: the spent-token ledger', () => {
  it('drops fingerprints over a year old that no record holds, and keeps younger ones, held ones and the marker', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    const clock = shiftedClock()
    const ledger = `${vaultPath(dir)}.spent`
    let vault = await open(dir, cipher, { now: clock.now })
    const first = makeSecrets('a')
    await vault.add(makeMeta('a'), first)
    const second = makePair('a2')
    await vault.commitRotation('a', { sentRefreshToken: first.refreshToken, pair: second })
    const held = makeSecrets('held')
    await vault.add(makeMeta('held'), held)
    await vault.close()
    // The held library's token was consumed elsewhere (its record came back from an older copy): it must stay known
    // as spent for as long as the record holds it, however old.
    fs.appendFileSync(ledger, `${spentFingerprint(held.refreshToken)}\n`)

    clock.shift = 300 * DAY
    vault = await open(dir, cipher, { now: clock.now })
    const third = makePair('a3')
    await vault.commitRotation('a', { sentRefreshToken: second.refreshToken, pair: third })
    await vault.close()

    // Not due yet (the oldest lines are 380 days old): the file is not rewritten.
    const before = fs.readFileSync(ledger)
    clock.shift = 380 * DAY
    await (await open(dir, cipher, { now: clock.now })).close()
    expect(fs.readFileSync(ledger)).toEqual(before)

    clock.shift = 400 * DAY
    vault = await open(dir, cipher, { now: clock.now })
    await vault.close()
    const text = ledgerText(dir)
    expect(text).not.toContain(spentFingerprint(first.refreshToken))
    expect(text).toContain(spentFingerprint(second.refreshToken))
    expect(text).toContain(spentFingerprint(held.refreshToken))
    expect(text).toContain(BOUND_MARKER)
    vault = await open(dir, cipher, { now: clock.now })
    expect(vault.isSpent(first.refreshToken)).toBe(false)
    expect(vault.isSpent(second.refreshToken)).toBe(true)
    expect(vault.isSpent(held.refreshToken)).toBe(true)
    // And a copy from before the migration to bound secrets is still refused (the marker survived).
    expect(text.split('\n').filter((line) => line.startsWith('@')).length).toBeGreaterThan(0)
  })

  it('keeps an old fingerprint while a copy Larder keeps still holds its token', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    const clock = shiftedClock()
    const first = makeSecrets('a')
    const vault = await open(dir, cipher, { now: clock.now })
    await vault.add(makeMeta('a'), first)
    await vault.commitRotation('a', { sentRefreshToken: first.refreshToken, pair: makePair('a2') })
    await vault.close()
    // A damaged copy holding the library's first token, and a library this vault does not have (so it is kept: it
    // may be the only copy of that live token).
    const other = tempDir()
    const elsewhere = await open(other, cipher)
    await elsewhere.add(makeMeta('a'), first)
    await elsewhere.add(makeMeta('lost'), makeSecrets('lost'))
    await elsewhere.close()
    const copy = `${vaultPath(dir)}.damaged-2020-01-01T00-00-00-000Z`
    fs.copyFileSync(vaultPath(other), copy)
    ageFile(copy, 500)

    clock.shift = 400 * DAY
    await (await open(dir, cipher, { now: clock.now })).close()
    expect(fs.existsSync(copy)).toBe(true)
    expect(ledgerText(dir)).toContain(spentFingerprint(first.refreshToken))
  })
})

describe('vault retention: copies beside the vault', () => {
  it('deletes a .v3.bak 90 days after its migration, and never the last good backup', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    await writeVersion3Vault(dir, cipher, [{ meta: makeMeta('a'), secrets: makeSecrets('a') }])
    await (await open(dir, cipher)).close()
    const versionBackup = `${vaultPath(dir)}.v3.bak`
    const lastGood = `${vaultPath(dir)}.bak`
    ageFile(versionBackup, 89)
    ageFile(lastGood, 1000)
    await (await open(dir, cipher)).close()
    expect(fs.existsSync(versionBackup)).toBe(true)
    ageFile(versionBackup, 91)
    await (await open(dir, cipher)).close()
    expect(fs.existsSync(versionBackup)).toBe(false)
    expect(fs.existsSync(lastGood)).toBe(true)
  })

  it('deletes superseded, damaged and orphaned copies after their time only when they hold nothing live the vault lacks', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    let vault = await open(dir, cipher)
    const first = makeSecrets('a')
    await vault.add(makeMeta('a'), first)
    await vault.close()
    const holdingSpent = fs.readFileSync(vaultPath(dir)) // holds a's first token, spent below
    vault = await open(dir, cipher)
    await vault.commitRotation('a', { sentRefreshToken: first.refreshToken, pair: makePair('a2') })
    await vault.add(makeMeta('b'), makeSecrets('b'))
    const journalNow = fs.readFileSync(`${vaultPath(dir)}.journal`) // holds a's and b's current tokens
    await vault.close()
    const base = vaultPath(dir)
    const copies = {
      supersededRedundant: [`${base}.journal.superseded-2020-01-01T00-00-00-000Z`, journalNow, 31],
      supersededYoung: [`${base}.journal.superseded-2020-01-02T00-00-00-000Z`, journalNow, 29],
      damagedRedundant: [`${base}.damaged-2020-01-01T00-00-00-000Z`, holdingSpent, 91],
      damagedYoung: [`${base}.damaged-2020-01-02T00-00-00-000Z`, holdingSpent, 89],
      damagedUnreadable: [`${base}.damaged-2020-01-03T00-00-00-000Z`, holdingSpent.subarray(0, 200), 5000],
      orphanedLive: [`${base}.journal.orphaned-2020-01-01T00-00-00-000Z`, Buffer.from(''), 91]
    } as const
    // A journal of a vault that never reached this file: library c's live token is nowhere else.
    const other = tempDir()
    const elsewhere = await open(other, cipher)
    await elsewhere.add(makeMeta('seed'), makeSecrets('seed'))
    await elsewhere.add(makeMeta('c'), makeSecrets('c'))
    const orphan = fs.readFileSync(`${vaultPath(other)}.journal`)
    await elsewhere.close()
    for (const [file, content, days] of Object.values(copies)) {
      fs.writeFileSync(file, content.length > 0 ? content : orphan)
      ageFile(file, days)
    }

    await (await open(dir, cipher)).close()
    const left = Object.fromEntries(Object.entries(copies).map(([key, [file]]) => [key, fs.existsSync(file)]))
    expect(left).toEqual({
      supersededRedundant: false,
      supersededYoung: true,
      damagedRedundant: false,
      damagedYoung: true,
      damagedUnreadable: true,
      orphanedLive: true
    })
  })
})

describe('vault: removing a library', () => {
  it('leaves none of its sealed secrets in any file Larder keeps, and everything else where it was', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    // A vault from before bound secrets, so the migration leaves its .v3.bak.
    await writeVersion3Vault(dir, cipher, [
      { meta: makeMeta('gone', { tokenType: 'personal', apicbaseLibraryId: '1001' }), secrets: makeSecrets('gone') },
      { meta: makeMeta('kept'), secrets: makeSecrets('kept') }
    ])
    let vault = await open(dir, cipher)
    await vault.addEntries([{ id: 'via-gone', name: 'Via Gone', connectionId: 'gone', apicbaseLibraryId: '1002', apicbaseLibraryName: null, addedAt: 1, lastUsedAt: null }])
    await vault.close()
    vault = await open(dir, cipher) // the last good backup
    await vault.patch('gone', { lastUsedAt: 5 }) // the journal holds it too
    await vault.patch('kept', { lastUsedAt: 5 })
    const journal = fs.readFileSync(`${vaultPath(dir)}.journal`)
    await vault.close()
    const file = fs.readFileSync(vaultPath(dir))
    const base = vaultPath(dir)
    // Copies as Larder leaves them: a journal of another generation, one without its file, a damaged file that no
    // longer reads (cut short after both records).
    fs.writeFileSync(`${base}.journal.superseded-2020-01-01T00-00-00-000Z`, journal)
    fs.writeFileSync(`${base}.journal.orphaned-2020-01-01T00-00-00-000Z`, journal)
    fs.writeFileSync(`${base}.damaged-2020-01-01T00-00-00-000Z`, file.subarray(0, file.length - 40))
    vault = trackVault(await open(dir, cipher))
    await vault.patch('gone', { lastUsedAt: 6 })
    expect(Object.keys(await sealedFor(dir, cipher, 'gone')).length).toBeGreaterThan(4)
    const keptBefore = await sealedFor(dir, cipher, 'kept')

    await vault.remove('gone')
    expect(await sealedFor(dir, cipher, 'gone')).toEqual({})
    // The other library is where it was in every copy, and the copies that read still read.
    const keptAfter = await sealedFor(dir, cipher, 'kept')
    expect(Object.keys(keptAfter).sort()).toEqual(Object.keys(keptBefore).filter((name) => name !== 'vault.json.journal').sort())
    for (const name of ['vault.json.bak', 'vault.json.v3.bak']) {
      const copy = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { libraries: object; entries?: object }
      expect(Object.keys(copy.libraries)).toEqual(['kept'])
      expect(Object.keys(copy.entries ?? {})).toEqual([])
    }
    expect(fs.readFileSync(`${base}.journal.superseded-2020-01-01T00-00-00-000Z`, 'utf8')).not.toContain('via-gone')
    expect(fs.existsSync(`${base}.journal`)).toBe(false)
    await vault.close()
    // The scrubbed backup still restores.
    fs.writeFileSync(vaultPath(dir), 'damaged')
    const restored = trackVault(await restoreBackup(options(dir, cipher)))
    expect(restored.list().map((meta) => meta.id)).toEqual(['kept'])
    expect(await restored.secrets('kept')).toBeTruthy()
  })
})
