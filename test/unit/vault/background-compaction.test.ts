// Issue 18, item 4: with a store that declares how it writes (WholeFileFormat), a compaction is serialised and written
// on a worker thread, never through the store on the main thread; the file is byte for byte what the store would have
// written for memory; and a crash at any step of putting it in place leaves a vault that opens with everything that
// was durable.
import fs from 'node:fs'
import path from 'node:path'
import Conf from 'conf'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Cipher } from '../../../src/main/core/vault/cipher.ts'
import { openVault, type JsonFileStore, type StoreFactory, type Vault } from '../../../src/main/core/vault/vault.ts'
import { crashCopy, makeMeta, makePair, makeSecrets, mode, newCipher, open, options, tempDir, trackVault, vaultPath } from './fixtures.ts'

afterEach(() => {
  vi.restoreAllMocks()
})

const GATED_WORKER = path.join(import.meta.dirname, 'support', 'gated-fold-worker.ts')

/** conf as the tests use it (tab-indented JSON, owner-only), declaring so; counts the writes that reach it. */
function declaredStore(dir: string, worker?: string): { factory: StoreFactory; writes: () => number } {
  let writes = 0
  const make = (): JsonFileStore => {
    const conf = new Conf<Record<string, unknown>>({ cwd: dir, configName: 'vault', configFileMode: 0o600 })
    return {
      path: conf.path,
      set store(value: Record<string, unknown>) {
        writes++
        conf.store = value
      }
    }
  }
  const factory = Object.assign(make, { format: { indent: '\t' as const, mode: 0o600, ...(worker === undefined ? {} : { worker }) } })
  return { factory, writes: () => writes }
}

async function threeLibraries(): Promise<{ dir: string; cipher: Cipher }> {
  const dir = tempDir()
  const cipher = await newCipher()
  const vault = await open(dir, cipher)
  for (const id of ['a', 'b', 'c']) await vault.add(makeMeta(id), makeSecrets(id))
  await vault.close()
  return { dir, cipher }
}

/** The same changes, made to two vaults opened on copies of one folder (nothing in them is random). */
async function sameChanges(vault: Vault): Promise<void> {
  await vault.patch('a', { lastUsedAt: 1_700_000_500_000, tokenState: 'needs_reauth' })
  await vault.patch('b', { lastError: { kind: 'network', message: 'Could not reach Apicbase.', at: 1_700_000_400_000 } })
  await vault.remove('c')
  await vault.updateSettings({ clipboardClearMs: 45_000 })
}

const withoutGeneration = (text: string): string => text.replace(/"journal": "[0-9a-f]{32}"/, '"journal": "…"')

describe('vault: compaction with a store that declares its format', () => {
  it('is serialised and written on a worker thread, byte for byte what the store writes for memory', async () => {
    const { dir, cipher } = await threeLibraries()
    const viaStore = crashCopy(dir)
    const declared = declaredStore(dir)
    const background = trackVault(await openVault({ ...options(dir, cipher), openStore: declared.factory }))
    const plain = trackVault(await openVault(options(viaStore, cipher)))

    await sameChanges(background)
    await sameChanges(plain)

    // The removal and the settings each needed the whole file: both were folded on the worker, none reached the store.
    expect(background.stats().backgroundWrites).toBe(2)
    expect(declared.writes()).toBe(0)
    expect(plain.stats().backgroundWrites).toBe(0)
    const written = fs.readFileSync(vaultPath(dir), 'utf8')
    expect(withoutGeneration(written)).toBe(withoutGeneration(fs.readFileSync(vaultPath(viaStore), 'utf8')))
    expect(JSON.parse(written)).toMatchObject({ settings: { clipboardClearMs: 45_000 } })
    expect(Object.keys(JSON.parse(written).libraries)).toEqual(['a', 'b'])
    expect(mode(vaultPath(dir))).toBe(0o600)
    expect(fs.existsSync(`${vaultPath(dir)}.journal`)).toBe(false)
    expect(fs.readdirSync(dir).filter((name) => name.includes('.tmp-'))).toEqual([])
  })

  it('lets the vault go on meanwhile, and a crash at any step of putting the new file in place loses nothing', async () => {
    const { dir, cipher } = await threeLibraries()
    const declared = declaredStore(dir, GATED_WORKER)
    const vault = trackVault(await openVault({ ...options(dir, cipher), openStore: declared.factory }))
    const first = makePair('a1')
    await vault.commitRotation('a', { sentRefreshToken: (await vault.secrets('a')).refreshToken, pair: first })

    const settings = vault.updateSettings({ clipboardClearMs: 45_000 })
    // The worker has written its file (held back by the gate): the vault goes on, and these changes come after it.
    await until(() => fs.readdirSync(dir).some((name) => name.startsWith('vault.json.tmp-')))
    const second = makePair('b1')
    const sentB = (await vault.secrets('b')).refreshToken
    await vault.commitRotation('b', { sentRefreshToken: sentB, pair: second })
    await vault.patch('c', { lastUsedAt: 77 })

    const crashes: { label: string; dir: string }[] = [{ label: 'worker done, not yet in place', dir: crashCopy(dir) }]
    const torn = crashCopy(dir)
    const temporary = fs.readdirSync(torn).find((name) => name.startsWith('vault.json.tmp-'))!
    fs.truncateSync(path.join(torn, temporary), 100)
    crashes.push({ label: 'its file cut short', dir: torn })
    const rename = fs.promises.rename.bind(fs.promises)
    vi.spyOn(fs.promises, 'rename').mockImplementation(async (from, to) => {
      const which = String(to).endsWith('.journal') ? 'journal' : 'vault file'
      crashes.push({ label: `before the ${which} is replaced`, dir: crashCopy(dir) })
      await rename(from, to)
      crashes.push({ label: `after the ${which} is replaced`, dir: crashCopy(dir) })
    })
    fs.writeFileSync(`${vaultPath(dir)}.gate`, '')
    await settings
    vi.restoreAllMocks()

    expect(vault.stats().backgroundWrites).toBe(1)
    expect(declared.writes()).toBe(0)
    expect(crashes.map((crash) => crash.label)).toEqual([
      'worker done, not yet in place',
      'its file cut short',
      'before the vault file is replaced',
      'after the vault file is replaced',
      'before the journal is replaced',
      'after the journal is replaced'
    ])
    // Just before the new file went in place, the journal continued both: the old file's lines, then the new one's.
    const beforeRename = crashes.find((crash) => crash.label === 'before the vault file is replaced')!
    const journalThen = fs.readFileSync(`${vaultPath(beforeRename.dir)}.journal`, 'utf8').split('\n').filter((line) => line !== '')
    expect(new Set(journalThen.map((line) => (JSON.parse(line) as { j: string }).j)).size).toBe(2)
    // The journal left holds only the lines that continue the new file: the two changes made meanwhile.
    const generation = (JSON.parse(fs.readFileSync(vaultPath(dir), 'utf8')) as { journal: string }).journal
    const lines = fs.readFileSync(`${vaultPath(dir)}.journal`, 'utf8').split('\n').filter((line) => line !== '')
    expect(lines.length).toBeGreaterThanOrEqual(2)
    expect(lines.every((line) => (JSON.parse(line) as { j: string }).j === generation)).toBe(true)

    for (const crash of [...crashes, { label: 'after it all', dir: crashCopy(dir) }]) {
      const reopened = trackVault(await openVault(options(crash.dir, cipher)))
      expect((await reopened.secrets('a')).refreshToken, crash.label).toBe(first.refreshToken)
      expect((await reopened.secrets('b')).refreshToken, crash.label).toBe(second.refreshToken)
      expect(reopened.isSpent(sentB), crash.label).toBe(true)
      expect(reopened.get('c')?.lastUsedAt, crash.label).toBe(77)
      await reopened.close()
    }
  })

  it('is put in place by the store when the file changed behind the vault while the worker folded it', async () => {
    const { dir, cipher } = await threeLibraries()
    const declared = declaredStore(dir, GATED_WORKER)
    const vault = trackVault(await openVault({ ...options(dir, cipher), openStore: declared.factory }))
    const settings = vault.updateSettings({ clipboardClearMs: 45_000 })
    await until(() => fs.readdirSync(dir).some((name) => name.startsWith('vault.json.tmp-')))
    // Someone else rewrites the file meanwhile (a sync client puts back the same content, newer).
    const later = new Date(Date.now() + 5_000)
    fs.utimesSync(vaultPath(dir), later, later)
    fs.writeFileSync(`${vaultPath(dir)}.gate`, '')
    await settings
    expect(vault.stats().backgroundWrites).toBe(0)
    expect(declared.writes()).toBe(1)
    expect(vault.settings().clipboardClearMs).toBe(45_000)
    expect(fs.readdirSync(dir).filter((name) => name.includes('.tmp-'))).toEqual([])
    const reopened = trackVault(await openVault(options(crashCopy(dir), cipher)))
    expect(reopened.settings().clipboardClearMs).toBe(45_000)
    expect(reopened.list().map((meta) => meta.id)).toEqual(['a', 'b', 'c'])
  })
})

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 15_000) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
