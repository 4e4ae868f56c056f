// Reading a record by id is the vault's most frequent call (a refresh makes about 25 of them through the engine, the
// core and the views): an id the vault holds was checked when it went in, so only an id it does not hold is checked.
import { describe, expect, it, vi } from 'vitest'
import { InputError } from '../../../src/main/core/errors.ts'
import * as checks from '../../../src/main/core/vault/checks.ts'
import { makeMeta, makeSecrets, newCipher, open, tempDir } from './fixtures.ts'

vi.mock('../../../src/main/core/vault/checks.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/main/core/vault/checks.ts')>()
  return { ...original, opaque: vi.fn(original.opaque) }
})

describe('vault: reading by id', () => {
  it('checks no id it holds: get and entry of a known id run no id check', async () => {
    const vault = await open(tempDir(), await newCipher())
    await vault.add(makeMeta('conn', { tokenType: 'personal' }), makeSecrets('conn'))
    await vault.addEntries([{ id: 'shared', name: 'Shared', connectionId: 'conn', apicbaseLibraryId: '1001', apicbaseLibraryName: null, addedAt: 1_700_000_000_000, lastUsedAt: null }])
    const opaque = vi.mocked(checks.opaque)
    opaque.mockClear()
    for (let i = 0; i < 10; i++) {
      expect(vault.get('conn')?.id).toBe('conn')
      expect(vault.entry('shared')?.id).toBe('shared')
    }
    expect(opaque).not.toHaveBeenCalled()
  })

  it('still refuses an id that is not one, and answers undefined for one it does not hold', async () => {
    const vault = await open(tempDir(), await newCipher())
    await vault.add(makeMeta('lib'), makeSecrets('lib'))
    expect(() => vault.get('')).toThrow(InputError)
    expect(() => vault.get(' lib')).toThrow(InputError)
    expect(() => vault.entry('a b')).toThrow(InputError)
    expect(() => vault.get(42 as unknown as string)).toThrow(InputError)
    expect(vault.get('other')).toBeUndefined()
    expect(vault.entry('lib')).toBeUndefined()
  })
})
