import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { journalPath } from '../../../src/main/core/vault/journal.ts'
import { makeMeta, makePair, makeSecrets, newCipher, open, tempDir, vaultPath } from './fixtures.ts'

// A crash after the temporary file of a whole-file write was fsynced but before it was renamed over the vault:
// the vault (with its journal, which is emptied only after the rename) still holds the older pair, whose refresh
// token the spent ledger already marks as consumed. This is the write that carried the rotation (a rotation in
// the same batch as a settings change, or the retry after a failed append, is written whole).
async function crashBetweenFsyncAndRename() {
  const dir = tempDir()
  const cipher = await newCipher()
  const file = vaultPath(dir)
  const vault = await open(dir, cipher)
  const secrets = makeSecrets('a')
  await vault.add(makeMeta('a'), secrets)
  await vault.add(makeMeta('b'), makeSecrets('b'))
  const before = fs.readFileSync(file)
  const journalBefore = fs.readFileSync(journalPath(file))
  const pair = makePair('a-new')
  await vault.commitRotation('a', { sentRefreshToken: secrets.refreshToken, pair })
  await vault.close()
  const temporary = `${file}.tmp-4242-deadbeef`
  fs.renameSync(file, temporary)
  fs.writeFileSync(file, before, { mode: 0o600 })
  fs.writeFileSync(journalPath(file), journalBefore, { mode: 0o600 })
  const past = new Date(Date.now() - 60_000)
  fs.utimesSync(file, past, past)
  return { dir, cipher, file, temporary, secrets, pair }
}

describe('a write cut off between its fsync and its rename', () => {
  it('is finished at the next open: the live pair is taken from the temporary and the leftover removed', async () => {
    const { dir, cipher, temporary, pair } = await crashBetweenFsyncAndRename()
    const vault = await open(dir, cipher)
    expect((await vault.secrets('a')).refreshToken).toBe(pair.refreshToken)
    expect(vault.get('a')?.expiresAt).toBe(pair.expiresAt)
    expect(vault.get('b')).toBeDefined()
    expect(fs.existsSync(temporary)).toBe(false)
    await vault.close()
    // Durable: a plain reopen reads it from the vault itself.
    const again = await open(dir, cipher)
    expect((await again.secrets('a')).refreshToken).toBe(pair.refreshToken)
  })

  it('an older leftover (superseded by a later write) is ignored and removed', async () => {
    const { dir, cipher, file, temporary, secrets } = await crashBetweenFsyncAndRename()
    const future = new Date(Date.now() + 60_000)
    fs.utimesSync(file, future, future)
    const vault = await open(dir, cipher)
    expect((await vault.secrets('a')).refreshToken).toBe(secrets.refreshToken)
    expect(vault.isSpent(secrets.refreshToken)).toBe(true)
    expect(fs.existsSync(temporary)).toBe(false)
  })

  it('a torn temporary (cut off before its fsync) changes nothing', async () => {
    const { dir, cipher, temporary, secrets } = await crashBetweenFsyncAndRename()
    const whole = fs.readFileSync(temporary)
    fs.writeFileSync(temporary, whole.subarray(0, whole.length >> 1))
    const vault = await open(dir, cipher)
    expect((await vault.secrets('a')).refreshToken).toBe(secrets.refreshToken)
    expect(fs.readdirSync(dir).filter((name) => name.includes('.tmp-'))).toEqual([])
    expect(path.basename(temporary)).toContain('.tmp-')
  })
})
