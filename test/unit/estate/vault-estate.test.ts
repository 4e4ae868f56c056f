// The vault's part of issue 17 (core/vault/vault-estate.ts): a hold (moved, paused) stored with the record and
// lifted back to the state before; a record put back from a backup, where a spent refresh token is stored only in a
// record that never sends it; a value of Larder's own sealed for one purpose. A record without a hold reads and is
// written byte for byte as before (the real schema 4 fixture).
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createPassphraseCipher } from '../../../src/main/core/vault/passphrase-cipher.ts'
import { openVault, readVaultHeader } from '../../../src/main/core/vault/vault.ts'
import { bytes, FAST_COST, makeMeta, makePair, makeSecrets, newCipher, open, options, tempDir, trackVault, vaultPath } from '../vault/fixtures.ts'

const FIXTURE = path.join(import.meta.dirname, '../../fixtures/vault-v4')
const MOVED = { kind: 'moved' as const, at: 1_700_000_000_000, message: 'Bistro was moved to /media/usb/move.age on 2023-11-14.', to: '/media/usb/move.age', was: 'active' as const }

describe('vault: holds, restored records and sealed values of its own', () => {
  it('a hold is stored with its record (tokenState moved), survives a reopen, and lifting it returns the state before', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    const vault = trackVault(await open(dir, cipher))
    const secrets = makeSecrets('bistro')
    await vault.add(makeMeta('bistro'), secrets)
    await vault.setHold('bistro', MOVED)
    expect(vault.get('bistro')).toMatchObject({ tokenState: 'moved', hold: MOVED })
    await vault.close()
    const again = trackVault(await open(dir, cipher))
    expect(again.get('bistro')).toMatchObject({ tokenState: 'moved', hold: MOVED })
    await again.setHold('bistro', null)
    expect(again.get('bistro')?.tokenState).toBe('active')
    expect(again.get('bistro')?.hold).toBeUndefined()
    expect((await again.secrets('bistro')).refreshToken).toBe(secrets.refreshToken)
  })

  it('a re-authorization of a moved record clears its hold; a refresh that raced the move keeps it moved', async () => {
    const dir = tempDir()
    const vault = trackVault(await open(dir, await newCipher()))
    const a = makeSecrets('a')
    await vault.add(makeMeta('a'), a)
    await vault.add(makeMeta('b'), makeSecrets('b'))
    await vault.setHold('a', MOVED)
    await vault.setHold('b', MOVED)
    await vault.commitRotation('a', { sentRefreshToken: a.refreshToken, pair: makePair('a2') })
    expect(vault.get('a')).toMatchObject({ tokenState: 'moved', hold: MOVED })
    await vault.reauthorize('b', makePair('b2'))
    expect(vault.get('b')?.tokenState).toBe('active')
    expect(vault.get('b')?.hold).toBeUndefined()
  })

  it('restores a record from a backup; a refresh token already spent goes in only as needing re-authorization', async () => {
    const dir = tempDir()
    const vault = trackVault(await open(dir, await newCipher()))
    const backedUp = makeSecrets('live')
    await vault.add(makeMeta('live'), backedUp)
    await vault.commitRotation('live', { sentRefreshToken: backedUp.refreshToken, pair: makePair('live2') })
    await vault.remove('live')
    // The backed-up pair's refresh token is spent here: never stored as a live one…
    await expect(vault.restoreLibrary(makeMeta('live'), backedUp, { replace: false })).rejects.toMatchObject({ field: 'secrets.refreshToken' })
    await expect(vault.restoreLibrary(makeMeta('live', { tokenState: 'paused' }), backedUp, { replace: false })).rejects.toMatchObject({ field: 'secrets.refreshToken' })
    // …but as needing re-authorization, with its client credentials, for the owner's new pair.
    await vault.restoreLibrary(makeMeta('live', { tokenState: 'needs_reauth' }), backedUp, { replace: false })
    expect(vault.get('live')?.tokenState).toBe('needs_reauth')
    expect((await vault.secrets('live', ['clientSecret'])).clientSecret).toBe(backedUp.clientSecret)
    await expect(vault.restoreLibrary(makeMeta('other'), makeSecrets('other'), { replace: true })).rejects.toMatchObject({ field: 'meta.id' })
    await expect(vault.restoreLibrary(makeMeta('live'), makeSecrets('other'), { replace: false })).rejects.toMatchObject({ field: 'meta.id' })
    const newer = makeSecrets('newer')
    await vault.restoreLibrary(makeMeta('live'), newer, { replace: true })
    expect((await vault.secrets('live', ['refreshToken'])).refreshToken).toBe(newer.refreshToken)
  })

  it('a sealed value opens only for its purpose and only with this vault\'s key', async () => {
    const vault = trackVault(await open(tempDir(), await newCipher()))
    const sealed = await vault.sealValue('scheduled-backup', 'a passphrase with spaces')
    expect(sealed).not.toContain('passphrase')
    expect(await vault.openValue('scheduled-backup', sealed)).toBe('a passphrase with spaces')
    await expect(vault.openValue('another-purpose', sealed)).rejects.toMatchObject({ field: 'sealed' })
    const other = trackVault(await open(tempDir(), await newCipher('another vault passphrase')))
    await expect(other.openValue('scheduled-backup', sealed)).rejects.toMatchObject({ field: 'sealed' })
  })

  it('a record without a hold (a real schema 4 file) reads as before and is written back byte for byte', async () => {
    const dir = tempDir()
    for (const name of ['vault.json', 'vault.json.spent']) fs.copyFileSync(path.join(FIXTURE, name), path.join(dir, name))
    const before = JSON.parse(bytes(vaultPath(dir))!.toString('utf8')) as { libraries: unknown }
    const header = readVaultHeader(vaultPath(dir))!
    const cipher = (await createPassphraseCipher('larder v4 fixture passphrase', header.cipher, { cost: FAST_COST })).cipher
    const vault = trackVault(await openVault(options(dir, cipher)))
    for (const meta of vault.list()) expect(meta.hold).toBeUndefined()
    await vault.close()
    const after = JSON.parse(bytes(vaultPath(dir))!.toString('utf8')) as { libraries: unknown }
    expect(JSON.stringify(after.libraries)).toBe(JSON.stringify(before.libraries))
  })
})
