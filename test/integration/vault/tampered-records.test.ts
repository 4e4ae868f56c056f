// Issue 13, item 1: a program running as the same user edits Larder's files to point a library at its own server
// (here a recording server on loopback). Whatever it edits — the vault file, its journal, the backup that gets
// restored, or the file on disk while Larder runs — Larder sends that library's secrets nowhere, says the vault
// was changed outside Larder, and keeps what the program wrote as it wrote it.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { durableBytes } from '../../support/vault-files.ts'
import { editJournal, editJson, metaIn, startWorld, type World } from './attack-support.ts'

let world: World
afterEach(async () => {
  await world?.close()
})

/** What every test asserts once the program's change is in place: nothing sent, and a failure saying why. */
async function expectRefused(id: string): Promise<void> {
  const { vault, engine } = { vault: world.vault!, engine: world.engine! }
  await expect(engine.refresh(id, 'manual')).rejects.toThrow(/changed outside Larder/)
  await expect(engine.freshAccessToken(id, 0)).rejects.toThrow(/changed outside Larder/)
  await expect(vault.secrets(id)).rejects.toThrow(/changed outside Larder/)
  expect(world.recorder.requests).toEqual([])
  expect(world.sandboxTokenRequests()).toBe(0)
  expect(vault.get(id)?.lastError).toMatchObject({ kind: 'tampered', message: expect.stringMatching(/changed outside Larder/) })
  expect(engine.status(id)).toBe('error')
}

describe('a library pointed at another server outside Larder', () => {
  it('in the vault file: is refused at the next start, and the file is left as the program wrote it', async () => {
    world = await startWorld()
    await world.open()
    await world.store('nord')
    await world.shut()
    editJson(world.vaultPath, (data) => {
      metaIn(data, 'nord')['apiBaseUrl'] = world.recorder.url
    })
    const written = durableBytes(world.vaultPath)

    await world.open()
    await expectRefused('nord')
    expect(world.vault!.get('nord')?.lastError?.message).toMatch(/API base URL/)
    // Not retried as time passes, however close its token comes to expiring.
    await world.clock.advance(8 * 86_400_000)
    expect(world.recorder.requests).toEqual([])
    expect(world.sandboxTokenRequests()).toBe(0)
    await world.shut()
    expect(durableBytes(world.vaultPath)).toEqual(written)
  })

  it('in the journal: a replayed record is refused the same way', async () => {
    world = await startWorld()
    await world.open()
    await world.store('other', 1)
    await world.vault!.flush()
    // Added after the file was written: the record lives in the journal.
    await world.store('nord')
    await world.vault!.flush()
    const journal = `${world.vaultPath}.journal`
    // The program edits the journal while Larder is stopped (a crash leaves it as it is; so does a kill).
    world.engine!.stop()
    const copy = fs.mkdtempSync(path.join(world.dir, 'stopped-'))
    const kept = ['vault.json', 'vault.json.journal', 'vault.json.spent'].filter((name) => fs.existsSync(path.join(world.dir, name)))
    for (const name of kept) fs.copyFileSync(path.join(world.dir, name), path.join(copy, name))
    await world.shut()
    for (const name of kept) fs.copyFileSync(path.join(copy, name), path.join(world.dir, name))
    fs.rmSync(copy, { recursive: true })
    expect(editJournal(journal, 'nord', (meta) => (meta['apiBaseUrl'] = world.recorder.url))).toBeGreaterThan(0)

    await world.open()
    await expectRefused('nord')
    // The other library still works.
    await expect(world.engine!.refresh('other', 'manual')).resolves.toBeTruthy()
    expect(world.recorder.requests).toEqual([])
  })

  it('in the backup that is then restored: the restored record is refused', async () => {
    world = await startWorld()
    await world.open()
    await world.store('nord')
    await world.shut()
    await world.open() // a clean open saves the backup
    await world.shut()
    editJson(`${world.vaultPath}.bak`, (data) => {
      metaIn(data, 'nord')['apiBaseUrl'] = world.recorder.url
    })
    fs.writeFileSync(world.vaultPath, '{"schemaVersion": 4, "cip') // then the file is damaged, and the person restores

    await world.restore()
    await expectRefused('nord')
  })

  it('on disk while Larder runs: the reload refuses it, memory keeps what it trusted, and the change stays on disk', async () => {
    world = await startWorld()
    await world.open()
    await world.store('nord')
    await world.store('other', 1)
    await world.shut()
    const { vault } = await world.open()
    const trusted = vault.get('nord')!.apiBaseUrl

    editJson(world.vaultPath, (data) => {
      metaIn(data, 'nord')['apiBaseUrl'] = world.recorder.url
    })
    await expectRefused('nord')
    // What Larder shows and would act on is what it last trusted, never the program's server.
    expect(vault.get('nord')?.apiBaseUrl).toBe(trusted)
    // The rest of the file is taken as usual, and the other library keeps working.
    await expect(world.engine!.refresh('other', 'manual')).resolves.toBeTruthy()
    await world.shut()
    // Not repaired, not stripped, not moved aside: the program's record is still there as it wrote it.
    const onDisk = JSON.parse(fs.readFileSync(world.vaultPath, 'utf8')) as Record<string, unknown>
    expect(metaIn(onDisk, 'nord')['apiBaseUrl']).toBe(world.recorder.url)
    expect(fs.readdirSync(world.dir).filter((name) => name.includes('damaged'))).toEqual([])
    expect(world.recorder.requests).toEqual([])
  })

  it.each([
    ['client ID', (meta: Record<string, unknown>) => (meta['clientId'] = 'someone-elses-client')],
    ['token type', (meta: Record<string, unknown>) => (meta['tokenType'] = 'personal')],
    ['Apicbase library', (meta: Record<string, unknown>) => (meta['apicbaseLibraryId'] = '999999')],
    ['name', (meta: Record<string, unknown>) => (meta['name'] = 'Somebody Else')]
  ])('with its %s changed too: refused, naming what changed', async (what, change) => {
    world = await startWorld()
    await world.open()
    await world.store('nord')
    await world.shut()
    editJson(world.vaultPath, (data) => change(metaIn(data, 'nord')))
    await world.open()
    await expectRefused('nord')
    expect(world.vault!.get('nord')?.lastError?.message).toContain(what)
  })
})
