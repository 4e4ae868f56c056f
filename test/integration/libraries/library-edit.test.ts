// A library's customer label and name, through the library service against the sandbox: given when it is added,
// changed afterwards (a record or a library reached through a personal token), audited, durable; what is not a
// name or a label is refused naming the field, before anything is sent or written.
import fs from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { InputError } from '../../../src/main/core/errors.ts'
import { startHarness, type Harness } from '../../support/core-harness.ts'

let h: Harness
afterEach(async () => {
  await h?.close()
})

function input(overrides: Record<string, unknown> = {}, fixture = 0) {
  const lib = h.sandbox.fixtures.libraries[fixture]!
  return {
    tokenType: 'service_account',
    name: 'Grill Haven Centrum',
    clientId: lib.clientId,
    clientSecret: lib.clientSecret,
    accessToken: lib.accessToken,
    refreshToken: lib.refreshToken,
    apiBaseUrl: h.sandbox.url,
    ...overrides
  }
}

const refusedAt = (field: string) => (error: unknown) => error instanceof InputError && error.field === field

async function trail(libraryId: string) {
  const page = await h.audit.page({ limit: 50, libraryId })
  return page.entries.map((entry) => [entry.action, entry.outcome, entry.detail ?? null, entry.libraryName])
}

describe('a library’s customer label', () => {
  it('is given when the library is added: trimmed, kept, and nothing when left out or empty', async () => {
    h = await startHarness()
    const { library } = await h.libraries.add(input({ customer: '  Grill Haven ' }))
    expect(library.customer).toBe('Grill Haven')
    expect(h.vault.get(library.id)?.customer).toBe('Grill Haven')
    const plain = await h.libraries.add(input({ name: 'Bistro Nord', customer: '   ' }, 1))
    expect(plain.library.customer).toBeUndefined()
    const none = await h.libraries.add(input({ name: 'Cantine Est' }, 2))
    expect('customer' in h.vault.get(none.library.id)!).toBe(false)
  })

  it('a label that cannot be kept is refused naming the field, before anything is sent', async () => {
    h = await startHarness()
    const hits = h.sandbox.counters.hits.length
    for (const customer of ['two\nlines', 'tab\there', 'x'.repeat(201), 42]) {
      await expect(h.libraries.add(input({ customer }))).rejects.toSatisfy(refusedAt('customer'))
    }
    expect(h.sandbox.counters.hits.length).toBe(hits)
    expect(h.vault.list()).toEqual([])
  })

  it('is changed with the name afterwards: one write, audited, the secrets still open, and it survives a reopen', async () => {
    h = await startHarness()
    const { library } = await h.libraries.add(input())
    const secrets = await h.vault.secrets(library.id)
    const updated = await h.libraries.update(library.id, { name: ' Grill  Haven West ', customer: 'Grill Haven' })
    expect(updated).toMatchObject({ id: library.id, name: 'Grill Haven West', customer: 'Grill Haven', status: 'healthy' })
    expect(await h.vault.secrets(library.id)).toEqual(secrets)
    expect((await trail(library.id))[0]).toEqual([
      'settings_changed',
      'ok',
      'renamed from "Grill Haven Centrum" to "Grill Haven West"; customer label set to "Grill Haven"',
      'Grill Haven West'
    ])

    const removed = await h.libraries.update(library.id, { customer: '' })
    expect(removed.customer).toBeUndefined()
    expect(removed.name).toBe('Grill Haven West')
    expect((await trail(library.id))[0]?.[2]).toBe('customer label removed (was "Grill Haven")')
    await h.libraries.update(library.id, { customer: 'Grill Haven Group' })
    await h.vault.close()
    const { openVault } = await import('../../../src/main/core/vault/vault.ts')
    const Conf = (await import('conf')).default
    const again = await openVault({ path: h.vaultPath, cipher: h.cipher, openStore: () => new Conf({ cwd: h.dir, configName: 'vault', configFileMode: 0o600 }) })
    expect(again.get(library.id)).toMatchObject({ name: 'Grill Haven West', customer: 'Grill Haven Group' })
    expect(await again.secrets(library.id)).toEqual(secrets)
    await again.close()
  })

  it('a change to nothing writes nothing and is not audited', async () => {
    h = await startHarness()
    const { library } = await h.libraries.add(input({ customer: 'Grill Haven' }))
    await h.vault.flush()
    const writes = h.vault.stats().writes
    const before = (await trail(library.id)).length
    const same = await h.libraries.update(library.id, { name: 'Grill Haven Centrum', customer: ' Grill Haven ' })
    expect(same).toMatchObject({ name: 'Grill Haven Centrum', customer: 'Grill Haven' })
    expect(h.vault.stats().writes).toBe(writes)
    expect(await trail(library.id)).toHaveLength(before)
  })

  it('bad input is refused naming the field, with the record, the file and the trail untouched', async () => {
    h = await startHarness()
    const { library } = await h.libraries.add(input({ customer: 'Grill Haven' }))
    await h.vault.flush()
    const file = fs.readFileSync(h.vaultPath)
    const meta = h.vault.get(library.id)
    const before = (await trail(library.id)).length
    const cases: [string, unknown, string][] = [
      [library.id, { name: '   ' }, 'name'],
      [library.id, { name: 'x'.repeat(101) }, 'name'],
      [library.id, { name: 42 }, 'name'],
      [library.id, { customer: 'x'.repeat(201) }, 'customer'],
      [library.id, { customer: 'a\u0007b' }, 'customer'],
      [library.id, { name: 'Fine', customer: 'bad\nlabel' }, 'customer'],
      [library.id, { colour: 'red' }, 'colour'],
      [library.id, null, 'input'],
      ['no-such-library', { name: 'Fine' }, 'id']
    ]
    for (const [id, change, field] of cases) {
      await expect(h.libraries.update(id, change), `${JSON.stringify(change)} → ${field}`).rejects.toSatisfy(refusedAt(field))
    }
    expect(h.vault.get(library.id)).toBe(meta)
    expect(fs.readFileSync(h.vaultPath)).toEqual(file)
    expect(await trail(library.id)).toHaveLength(before)
  })

  it('a library reached through a personal token has its own label and name, not its connection’s', async () => {
    h = await startHarness()
    const credentials = h.sandbox.fixtures.libraries[0]!
    const connectionId = await h.store(credentials, { tokenType: 'personal', name: 'Pat Partner', customer: 'Partner' })
    await h.vault.addEntries([
      { id: 'entry-east', name: 'Cantine Est', connectionId, apicbaseLibraryId: '1003', apicbaseLibraryName: 'Cantine Est 1003', addedAt: h.clock.now(), lastUsedAt: null }
    ])
    expect(h.libraries.get('entry-east').customer).toBeUndefined()
    const updated = await h.libraries.update('entry-east', { name: 'Cantine Oost', customer: 'Cantine Group' })
    expect(updated).toMatchObject({ id: 'entry-east', name: 'Cantine Oost', customer: 'Cantine Group' })
    expect(h.vault.entry('entry-east')).toMatchObject({ name: 'Cantine Oost', customer: 'Cantine Group' })
    expect(h.libraries.get(connectionId)).toMatchObject({ name: 'Pat Partner', customer: 'Partner' })
    expect((await trail('entry-east'))[0]?.[2]).toBe('renamed from "Cantine Est" to "Cantine Oost"; customer label set to "Cantine Group"')
  })
})
