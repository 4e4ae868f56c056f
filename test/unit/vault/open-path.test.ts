// Issue 18, item 4 (open at 10,000 libraries): opening reads the vault file once on the way to the statuses. The
// last good backup is still saved after a clean open, from the bytes that opened, off that path: close waits for it.
import fs from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { bytes, makeMeta, makeSecrets, newCipher, open, tempDir, vaultPath } from './fixtures.ts'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('vault: the way to the statuses', () => {
  it('reads the file once; the last good backup is written beside it without holding the open, by close at the latest', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    let vault = await open(dir, cipher)
    await vault.add(makeMeta('a'), makeSecrets('a'))
    await vault.close()
    vault = await open(dir, cipher)
    await vault.add(makeMeta('b'), makeSecrets('b'))
    await vault.close()
    // The backup is of the file as the previous open found it: it lacks 'b'.
    expect(bytes(`${vaultPath(dir)}.bak`)).not.toEqual(bytes(vaultPath(dir)))

    const readFileSync = vi.spyOn(fs, 'readFileSync')
    vault = await open(dir, cipher)
    const readsOfTheFile = readFileSync.mock.calls.filter(([file]) => file === vaultPath(dir)).length
    readFileSync.mockRestore()
    expect(vault.list().map((meta) => meta.id)).toEqual(['a', 'b'])
    expect(readsOfTheFile).toBe(1)
    await vault.close()
    expect(bytes(`${vaultPath(dir)}.bak`)).toEqual(bytes(vaultPath(dir)))
  })

  it('after an open that wrote the file (a journal folded in), backs up the file as written', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    const vault = await open(dir, cipher)
    await vault.add(makeMeta('a'), makeSecrets('a'))
    await vault.close()
    const before = bytes(`${vaultPath(dir)}.bak`)
    // A crash leaves a journal: the next open folds it into the file (a write), then backs that file up.
    const running = await open(dir, cipher)
    await running.patch('a', { lastUsedAt: 5 })
    await running.flush()
    const crashed = [vaultPath(dir), `${vaultPath(dir)}.journal`, `${vaultPath(dir)}.spent`].map((file) => [file, fs.readFileSync(file)] as const)
    await running.close()
    for (const [file, content] of crashed) fs.writeFileSync(file, content)
    const reopened = await open(dir, cipher)
    expect(reopened.get('a')?.lastUsedAt).toBe(5)
    expect(fs.existsSync(`${vaultPath(dir)}.journal`)).toBe(false)
    await reopened.close()
    expect(bytes(`${vaultPath(dir)}.bak`)).not.toEqual(before)
    expect(bytes(`${vaultPath(dir)}.bak`)).toEqual(bytes(vaultPath(dir)))
  })
})
