// Each look at the journal's size is a statSync on the main thread. A batch of rotations used to look four times at
// the journal in a row with nothing in between that could have changed it as the vault knows it: before the batch
// (someone else's lines?), deciding how to write, and in the append itself. One look per turn is enough: a change by
// someone else after it is seen next time, as it would be had it come a moment after the look.
import fs from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { makeMeta, makePair, makeSecrets, newCipher, open, tempDir, vaultPath } from './fixtures.ts'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('vault: looks at the journal once per turn', () => {
  it('makes a batch of rotations durable with at most two statSync calls of the journal', async () => {
    const dir = tempDir()
    const vault = await open(dir, await newCipher(), { commitWindowMs: 10 })
    const ids = ['a', 'b', 'c', 'd']
    for (const id of ids) await vault.add(makeMeta(id), makeSecrets(id))
    const sent = new Map<string, string>()
    for (const id of ids) sent.set(id, (await vault.secrets(id, ['refreshToken'])).refreshToken)
    await new Promise((resolve) => setTimeout(resolve, 20))
    const journal = `${vaultPath(dir)}.journal`
    const stats = vi.spyOn(fs, 'statSync')
    const before = vault.stats().writes
    const pairs = new Map(ids.map((id) => [id, makePair(`${id}2`)]))
    await Promise.all(ids.map((id) => vault.commitRotation(id, { sentRefreshToken: sent.get(id)!, pair: pairs.get(id)! })))
    const ofJournal = stats.mock.calls.filter(([file]) => file === journal).length
    stats.mockRestore()
    expect(vault.stats().writes - before).toBe(1)
    // Was 4: the change check of the rotations' turn, then the batch's own three (before it, deciding how, appending).
    expect(ofJournal).toBeLessThanOrEqual(2)
    // Still durable and read back.
    for (const id of ids) expect((await vault.secrets(id, ['refreshToken'])).refreshToken).toBe(pairs.get(id)!.refreshToken)
  })
})
