// Issue 18, item 4 (heap at 10,000 libraries): records read from the file share the values most libraries have in
// common (the scope list, the API base URL, the token type and state) instead of holding a copy each.
import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { checkMeta } from '../../../src/main/core/vault/library-checks.ts'
import { makeMeta, makeSecrets, newCipher, open, tempDir, vaultPath } from './fixtures.ts'

describe('vault: values many records have in common are shared', () => {
  it('gives records read from the file one frozen scope list per distinct list', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    let vault = await open(dir, cipher)
    await vault.add(makeMeta('a', { scopes: ['accounts', 'library'] }), makeSecrets('a'))
    await vault.add(makeMeta('b', { scopes: ['accounts', 'library'] }), makeSecrets('b'))
    await vault.add(makeMeta('c', { scopes: ['library'] }), makeSecrets('c'))
    await vault.close()
    expect(fs.existsSync(vaultPath(dir))).toBe(true)
    vault = await open(dir, cipher)
    const [a, b, c] = ['a', 'b', 'c'].map((id) => vault.get(id)!)
    expect(a!.scopes).toEqual(['accounts', 'library'])
    expect(a!.scopes).toBe(b!.scopes)
    expect(c!.scopes).toEqual(['library'])
    expect(Object.isFrozen(a!.scopes)).toBe(true)
    await vault.close()
  })

  it('still refuses a list that only looks like a shared one', () => {
    const good = { ...makeMeta('x'), scopes: ['accounts', 'library'] }
    expect(checkMeta('meta', good).scopes).toBe(checkMeta('meta', { ...good }).scopes)
    expect(() => checkMeta('meta', { ...good, scopes: ['accounts library', ''] })).toThrow(/scopes/)
    expect(() => checkMeta('meta', { ...good, scopes: ['accounts', 7] })).toThrow(/scopes/)
  })
})
