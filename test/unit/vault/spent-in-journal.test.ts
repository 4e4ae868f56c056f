// A batch of rotations is made durable by one write on libuv's pool: the journal's, whose first line carries the
// fingerprints of the refresh tokens the batch's pairs replaced (the old token is recorded spent in the same durable
// write as the new pair). The spent ledger, the file that outlives a restored vault, catches up from memory in a quiet
// moment, and always before a whole-file write drops the journal's lines; a crash before that is made good at open
// from the journal.
import fs from 'node:fs'
import path from 'node:path'
import Conf from 'conf'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { spentFingerprint } from '../../../src/main/core/vault/spent-ledger.ts'
import { openVault, type JsonFileStore, type StoreFactory, type Vault } from '../../../src/main/core/vault/vault.ts'
import { crashCopy, makeMeta, makePair, makeSecrets, newCipher, open, options, tempDir, trackVault, vaultPath } from './fixtures.ts'

afterEach(() => {
  vi.restoreAllMocks()
})

const IDS = ['a', 'b', 'c', 'd', 'e', 'f']

/** A vault with six libraries, its journal in use; and a burst of rotations of all six (one batch). */
async function rotatedOnce(vault: Vault): Promise<{ sent: string[]; writes: number }> {
  const sent: string[] = []
  const poolWrites = vi.spyOn(fs, 'write')
  await Promise.all(
    IDS.map(async (id) => {
      const secrets = await vault.secrets(id)
      sent.push(secrets.refreshToken)
      await vault.commitRotation(id, { sentRefreshToken: secrets.refreshToken, pair: makePair(`${id}2`) })
    })
  )
  const writes = poolWrites.mock.calls.length
  poolWrites.mockRestore()
  return { sent, writes }
}

async function sixLibraries(): Promise<{ dir: string; vault: Vault; cipher: Awaited<ReturnType<typeof newCipher>> }> {
  const dir = tempDir()
  const cipher = await newCipher()
  const vault = await open(dir, cipher, { commitWindowMs: 20 })
  for (const id of IDS) await vault.add(makeMeta(id), makeSecrets(id))
  return { dir, vault, cipher }
}

const ledgerOf = (dir: string): string => fs.readFileSync(`${vaultPath(dir)}.spent`, 'utf8')

describe('vault: spent fingerprints travel in the journal', () => {
  it('makes a batch of rotations durable with one pool write, the spent fingerprints in the same write as the pairs', async () => {
    const { dir, vault, cipher } = await sixLibraries()
    const before = vault.stats().writes
    const { sent, writes } = await rotatedOnce(vault)
    expect(vault.stats().writes - before).toBe(1)
    // Was 2: the spent ledger's append beside the journal's.
    expect(writes).toBe(1)
    const journal = fs.readFileSync(`${vaultPath(dir)}.journal`, 'utf8')
    const lines = journal.split('\n').filter((line) => line !== '')
    const batch = lines.slice(-1 - IDS.length)
    expect(JSON.parse(batch[0]!)).toMatchObject({ spent: expect.arrayContaining(sent.map(spentFingerprint)) })
    // A crash now: the copy opens with the new pairs, knows the old tokens spent, and its ledger holds them.
    const copy = crashCopy(dir)
    const reopened = trackVault(await openVault(options(copy, cipher)))
    for (const token of sent) expect(reopened.isSpent(token)).toBe(true)
    for (const token of sent) expect(ledgerOf(copy)).toContain(spentFingerprint(token))
    expect((await reopened.secrets('a')).refreshToken).toBe((await vault.secrets('a')).refreshToken)
  })

  it('lets the ledger file catch up once the vault is quiet', async () => {
    const { dir, vault } = await sixLibraries()
    const { sent } = await rotatedOnce(vault)
    await vi.waitFor(() => {
      for (const token of sent) expect(ledgerOf(dir)).toContain(spentFingerprint(token))
    }, { timeout: 5_000, interval: 50 })
  })

  it('writes the ledger before a compaction on the worker thread drops the journal’s lines', async () => {
    const dir = tempDir()
    // conf as the tests use it (tab-indented, owner-only), declaring so: compactions are folded on a worker thread, one
    // that holds its answer until the test opens `<vault>.gate`.
    const declared: StoreFactory = Object.assign((): JsonFileStore => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'vault', configFileMode: 0o600 }), {
      format: { indent: '\t' as const, mode: 0o600, worker: path.join(import.meta.dirname, 'support', 'gated-fold-worker.ts') }
    })
    const cipher = await newCipher()
    const vault = trackVault(await openVault({ ...options(dir, cipher), openStore: declared, commitWindowMs: 20 }))
    for (const id of IDS) await vault.add(makeMeta(id), makeSecrets(id))
    const { sent } = await rotatedOnce(vault)
    // What the ledger holds when the folded file goes in place: the lines from before the fold are dropped after it.
    let ledgerWhenPlaced = ''
    const rename = fs.promises.rename.bind(fs.promises)
    vi.spyOn(fs.promises, 'rename').mockImplementation(async (from, to) => {
      if (String(to) === vaultPath(dir)) ledgerWhenPlaced = ledgerOf(dir)
      await rename(from, to)
    })
    // Settings are a whole-file write, folded on the worker. Each batch here has lines of its own to append (a
    // rotation), so none of them is a quiet moment's catch-up: the one that puts the file in place included.
    const rotate = async (id: string, label: string): Promise<void> =>
      vault.commitRotation(id, { sentRefreshToken: (await vault.secrets(id)).refreshToken, pair: makePair(label) })
    const settings = Promise.all([vault.updateSettings({ clipboardClearMs: 45_000 }), rotate('a', 'a3')])
    await vi.waitFor(() => expect(fs.readdirSync(dir).some((name) => name.startsWith('vault.json.tmp-'))).toBe(true), { timeout: 5_000, interval: 5 })
    await rotate('b', 'b3')
    const last = rotate('c', 'c3')
    fs.writeFileSync(`${vaultPath(dir)}.gate`, '')
    await Promise.all([settings, last])
    expect(vault.stats().backgroundWrites).toBe(1)
    for (const token of sent) expect(ledgerWhenPlaced).toContain(spentFingerprint(token))
  })
})
