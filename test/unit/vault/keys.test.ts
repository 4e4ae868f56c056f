// Keys of other systems in the vault (schema 5): added, listed, changed, regenerated and removed through the same
// durable writes as libraries; each token sealed and bound to its record, so a record whose bound fields were changed
// outside Larder is refused like a tampered library; a damaged record refused like any damaged file; no token in clear.
import fs from 'node:fs'
import Conf from 'conf'
import { describe, expect, it } from 'vitest'
import type { KeyMeta } from '../../../src/main/core/keys/key-model.ts'
import { VaultCorruptError, VaultTamperedError } from '../../../src/main/core/vault/errors.ts'
import { openVault } from '../../../src/main/core/vault/vault.ts'
import { bytes, crashCopy, everythingOnDisk, makeMeta, makeSecrets, newCipher, open, options, secret, tempDir, trackVault, vaultPath } from './fixtures.ts'
import { makeKey } from './key-fixtures.ts'

type FileJson = Record<string, unknown> & { keys: Record<string, { meta: Record<string, unknown> & { details: Record<string, unknown> }; secrets: Record<string, string> }> }

const readJson = (dir: string): FileJson => JSON.parse(fs.readFileSync(vaultPath(dir), 'utf8')) as FileJson
const writeJson = (dir: string, value: unknown): void => fs.writeFileSync(vaultPath(dir), JSON.stringify(value, undefined, '\t'))

async function vaultWithKeys() {
  const dir = tempDir()
  const cipher = await newCipher()
  const vault = await open(dir, cipher)
  const tokens = { sc: secret('sc'), at: secret('at'), st: secret('st') }
  await vault.add(makeMeta('lib'), makeSecrets('lib'))
  await vault.addKey(makeKey('sc', 'safetyculture'), { token: tokens.sc })
  await vault.addKey(makeKey('at', 'airtable'), { token: tokens.at })
  await vault.addKey(makeKey('st', 'service_token'), { token: tokens.st })
  return { dir, cipher, vault, tokens }
}

describe('vault: keys of other systems', () => {
  it('adds, lists, patches, regenerates and removes keys, durable through a journal replay and a close', async () => {
    const { dir, cipher, vault, tokens } = await vaultWithKeys()
    expect(vault.keys().map((key) => [key.id, key.system])).toEqual([
      ['sc', 'safetyculture'],
      ['at', 'airtable'],
      ['st', 'service_token']
    ])
    expect(vault.key('sc')?.tokenPreview).toBe(`…${tokens.sc.slice(-4)}`)
    await vault.patchKey('sc', { notes: 'renewed in May', state: 'revoked', lastUsedAt: 1_760_100_000_000 })
    // A bound field: the token is sealed again for it.
    await vault.patchKey('at', { name: 'Tracking base', details: { scopes: ['data.records:read'], bases: [], apiBaseUrl: 'http://127.0.0.1:9' } })
    const regenerated = secret('at-new')
    await vault.replaceKeyToken('at', regenerated)
    await vault.removeKey('st')
    await vault.patchKey('sc', { lastCheck: { at: 1_760_200_000_000, outcome: 'ok', identity: { id: 'user_1', who: 'Sam', organisation: 'Brasserie Group' }, message: null } })
    expect(vault.stats().journalBytes).toBeGreaterThan(0)

    const check = async (reopened: typeof vault): Promise<void> => {
      expect(reopened.keys().map((key) => key.id)).toEqual(['sc', 'at'])
      expect(reopened.key('sc')).toMatchObject({ notes: 'renewed in May', state: 'revoked', lastUsedAt: 1_760_100_000_000, lastCheck: { outcome: 'ok' } })
      expect(reopened.key('at')).toMatchObject({ name: 'Tracking base', details: { apiBaseUrl: 'http://127.0.0.1:9' }, tokenPreview: `…${regenerated.slice(-4)}` })
      expect(reopened.key('at')?.history.map((item) => item.event)).toEqual(['added', 'regenerated'])
      expect(reopened.key('st')).toBeUndefined()
      expect(await reopened.keySecret('sc')).toEqual({ token: tokens.sc })
      expect(await reopened.keySecret('at')).toEqual({ token: regenerated })
      expect(reopened.isSpent(tokens.at)).toBe(true)
      expect(reopened.keyRefusal('at')).toBeUndefined()
    }
    // A crash now: the file and its journal, replayed without a compaction.
    const copy = crashCopy(dir)
    expect(fs.statSync(`${vaultPath(copy)}.journal`).size).toBeGreaterThan(0)
    // The last patch came after the removal's whole-file write: only the journal holds it.
    expect(readJson(copy).keys['sc']!.meta['lastCheck']).toBeNull()
    await check(trackVault(await openVault(options(copy, cipher))))

    await vault.close()
    expect(fs.existsSync(`${vaultPath(dir)}.journal`)).toBe(false)
    expect(Object.keys(readJson(dir).keys)).toEqual(['sc', 'at'])
    await check(trackVault(await openVault(options(dir, cipher))))
  })

  it('refuses a replaced token pasted again, the same token, an id already used, and a field it does not know', async () => {
    const { vault, tokens } = await vaultWithKeys()
    await vault.replaceKeyToken('at', secret('at-2'))
    await expect(vault.replaceKeyToken('at', tokens.at)).rejects.toThrow(/replaced by a newer one/)
    await expect(vault.addKey(makeKey('at-again', 'airtable'), { token: tokens.at })).rejects.toThrow(/replaced by a newer one/)
    await expect(vault.replaceKeyToken('sc', tokens.sc)).rejects.toThrow(/already holds/)
    await expect(vault.addKey(makeKey('lib', 'airtable'), { token: secret('x') })).rejects.toThrow(/already in the vault/)
    await expect(vault.add(makeMeta('sc'), makeSecrets('sc'))).rejects.toThrow(/already in the vault/)
    await expect(vault.addKey({ ...makeKey('x', 'airtable'), extra: 1 } as unknown as KeyMeta, { token: secret('x') })).rejects.toThrow(/meta.extra/)
    await expect(vault.patchKey('sc', { system: 'airtable' } as never)).rejects.toThrow(/patch.system/)
    await expect(vault.patchKey('sc', { details: { kind: 'user', organisation: 'O', owner: 'P', apiBaseUrl: 'http://example.com' } })).rejects.toThrow(/details.apiBaseUrl/)
    expect(vault.keys().map((key) => key.id)).toEqual(['sc', 'at', 'st'])
  })

  it('never writes a token in clear: not in the file, the journal, the spent ledger or a backup', async () => {
    const { dir, vault, tokens } = await vaultWithKeys()
    const regenerated = secret('at-new')
    await vault.replaceKeyToken('at', regenerated)
    await vault.patchKey('st', { name: 'Automation (prod)' })
    const whileOpen = everythingOnDisk(dir)
    await vault.close()
    const closed = everythingOnDisk(dir)
    for (const token of [...Object.values(tokens), regenerated]) {
      expect(whileOpen).not.toContain(token)
      expect(closed).not.toContain(token)
    }
  })

  it('takes a removed key out of every copy Larder keeps beside the vault', async () => {
    const { dir, cipher, vault } = await vaultWithKeys()
    await vault.close()
    const sealed = readJson(dir).keys['at']!.secrets['token']!
    const reopened = trackVault(await openVault(options(dir, cipher)))
    await reopened.flush() // the open saves the last good copy (.bak) alongside
    await reopened.close()
    expect(fs.readFileSync(`${vaultPath(dir)}.bak`, 'utf8')).toContain(sealed)
    const last = trackVault(await openVault(options(dir, cipher)))
    await last.removeKey('at')
    expect(everythingOnDisk(dir)).not.toContain(sealed)
    expect(last.keys().map((key) => key.id)).toEqual(['sc', 'st'])
    expect(JSON.parse(fs.readFileSync(`${vaultPath(dir)}.bak`, 'utf8')).keys).not.toHaveProperty('at')
  })

  it('keeps every key through a compaction made on the worker thread', async () => {
    const { dir, cipher, vault, tokens } = await vaultWithKeys()
    await vault.close()
    const factory = Object.assign(() => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'vault', configFileMode: 0o600 }), {
      format: { indent: '\t' as const, mode: 0o600 }
    })
    const background = trackVault(await openVault({ ...options(dir, cipher), openStore: factory }))
    await background.patchKey('sc', { notes: 'before the fold' })
    await background.removeKey('st') // a whole-file write: folded on the worker
    expect(background.stats().backgroundWrites).toBe(1)
    expect(Object.keys(readJson(dir).keys)).toEqual(['sc', 'at'])
    expect(readJson(dir).keys['sc']!.meta['notes']).toBe('before the fold')
    await background.close()
    const reopened = trackVault(await openVault(options(dir, cipher)))
    expect(await reopened.keySecret('at')).toEqual({ token: tokens.at })
    expect(reopened.key('sc')?.notes).toBe('before the fold')
  })
})

describe('vault: a key changed outside Larder', () => {
  const edits: [string, string[], (key: FileJson['keys'][string]) => void][] = [
    ['its name', ['name'], (key) => (key.meta.name = 'Someone else')],
    ['its API base URL', ['API base URL'], (key) => (key.meta.details['apiBaseUrl'] = 'https://attacker.example.com')],
    ['its check URL', ['check URL'], (key) => (key.meta.details['checkUrl'] = 'https://attacker.example.com/collect')],
    ['how requests carry it', ['way requests carry it'], (key) => (key.meta.details['carry'] = { kind: 'header', name: 'X-Logged' })]
  ]

  it.each(edits)('is refused when %s was edited in the file, and its token is not handed out', async (_what, changed, edit) => {
    const { dir, cipher, vault } = await vaultWithKeys()
    await vault.close()
    const file = readJson(dir)
    const id = changed[0] === 'API base URL' ? 'sc' : changed[0] === 'name' ? 'at' : 'st'
    edit(file.keys[id]!)
    writeJson(dir, file)
    const edited = bytes(vaultPath(dir))

    const reopened = trackVault(await openVault(options(dir, cipher)))
    const refusal = reopened.keyRefusal(id)
    expect(refusal).toBeInstanceOf(VaultTamperedError)
    expect((refusal as VaultTamperedError).changed).toEqual(changed)
    await expect(reopened.keySecret(id)).rejects.toBeInstanceOf(VaultTamperedError)
    await expect(reopened.patchKey(id, { notes: 'x' })).rejects.toBeInstanceOf(VaultTamperedError)
    await expect(reopened.replaceKeyToken(id, secret('new'))).rejects.toBeInstanceOf(VaultTamperedError)
    // The other keys are untouched, and the file is kept exactly as found.
    for (const other of ['sc', 'at', 'st'].filter((key) => key !== id)) expect(reopened.keyRefusal(other)).toBeUndefined()
    expect(bytes(vaultPath(dir))).toEqual(edited)
    await reopened.close()
    expect(readJson(dir).keys[id]).toEqual(file.keys[id])
  })

  it('is not refused for a field that sends nothing (notes, state)', async () => {
    const { dir, cipher, vault, tokens } = await vaultWithKeys()
    await vault.close()
    const file = readJson(dir)
    file.keys['sc']!.meta['notes'] = 'edited by hand'
    file.keys['sc']!.meta['state'] = 'expired'
    writeJson(dir, file)
    const reopened = trackVault(await openVault(options(dir, cipher)))
    expect(reopened.keyRefusal('sc')).toBeUndefined()
    expect(await reopened.keySecret('sc')).toEqual({ token: tokens.sc })
  })

  it("is refused when another key's token, or a library's secret, was put in its place", async () => {
    const { dir, cipher, vault } = await vaultWithKeys()
    await vault.close()
    const file = readJson(dir)
    file.keys['sc']!.secrets['token'] = file.keys['at']!.secrets['token']!
    const libraries = file['libraries'] as Record<string, { secrets: Record<string, string> }>
    file.keys['st']!.secrets['token'] = libraries['lib']!.secrets['accessToken']!
    writeJson(dir, file)
    const reopened = trackVault(await openVault(options(dir, cipher)))
    await expect(reopened.keySecret('sc')).rejects.toThrow(/another key/)
    await expect(reopened.keySecret('st')).rejects.toBeInstanceOf(VaultTamperedError)
    expect(reopened.keyRefusal('at')).toBeUndefined()
  })

  it('is refused when the change comes while the vault is open (the file re-read)', async () => {
    const { dir, vault, tokens } = await vaultWithKeys()
    await vault.flush()
    expect(await vault.keySecret('st')).toEqual({ token: tokens.st })
    await vault.removeKey('at') // a whole-file write: the file holds every key, the journal none
    const file = readJson(dir)
    file.keys['st']!.meta.details['checkUrl'] = 'https://attacker.example.com/collect'
    writeJson(dir, file)
    expect(await vault.reloadIfChanged()).toBe(true)
    expect(vault.keyRefusal('st')).toBeInstanceOf(VaultTamperedError)
    await expect(vault.keySecret('st')).rejects.toBeInstanceOf(VaultTamperedError)
    // Shown as the version the vault trusted, not the one pointing elsewhere.
    expect(vault.key('st')?.details).toMatchObject({ checkUrl: 'https://automation.example.com/api/me' })
  })
})

describe('vault: a damaged key record', () => {
  const damage: [string, RegExp, (file: FileJson) => void][] = [
    ['an unknown field in its record', /key "sc".*meta.colour/, (file) => (file.keys['sc']!.meta['colour'] = 'red')],
    ['a missing field', /key "sc".*meta.history is missing/, (file) => delete file.keys['sc']!.meta['history']],
    ['an unknown system', /meta.system/, (file) => (file.keys['sc']!.meta['system'] = 'dropbox')],
    ['details its system refuses', /meta.details.apiBaseUrl/, (file) => (file.keys['sc']!.meta.details['apiBaseUrl'] = 'http://example.com')],
    ['an unknown detail', /meta.details/, (file) => (file.keys['at']!.meta.details['owner'] = 'x')],
    ['a history item of no known event', /meta.history\[0\].event/, (file) => (file.keys['sc']!.meta['history'] = [{ at: 1, event: 'stolen' }])],
    ['a last check of the wrong shape', /meta.lastCheck.outcome/, (file) => (file.keys['sc']!.meta['lastCheck'] = { at: 1, outcome: 'fine', identity: null, message: null })],
    ['a time that is not one', /meta.addedAt/, (file) => (file.keys['sc']!.meta['addedAt'] = 'yesterday')],
    ['a state it cannot have', /meta.state/, (file) => (file.keys['sc']!.meta['state'] = 'paused')],
    ['a second secret', /unexpected secret/, (file) => (file.keys['sc']!.secrets['refreshToken'] = 'x')],
    ['no sealed token', /no sealed token/, (file) => delete file.keys['sc']!.secrets['token']],
    ['the record of another id', /another id/, (file) => (file.keys['sc']!.meta['id'] = 'at')],
    [
      'the id of a library',
      /has the id of a library/,
      (file) => {
        const key = file.keys['sc']!
        key.meta['id'] = 'lib'
        file.keys['lib'] = key
        delete file.keys['sc']
      }
    ],
    ['keys that are not a table', /"keys" is not an object/, (file) => (file.keys = [] as never)]
  ]

  it.each(damage)('refuses a file with %s, unchanged, with the vault error', async (_what, message, edit) => {
    const { dir, cipher, vault } = await vaultWithKeys()
    await vault.close()
    const file = readJson(dir)
    edit(file)
    writeJson(dir, file)
    const before = bytes(vaultPath(dir))
    const error = await openVault(options(dir, cipher)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(VaultCorruptError)
    expect((error as VaultCorruptError).reason).toBe('wrong_shape')
    expect((error as Error).message).toMatch(message)
    expect(bytes(vaultPath(dir))).toEqual(before)
  })

  it('refuses a journal whose key line is damaged', async () => {
    const { dir, cipher, vault } = await vaultWithKeys()
    await vault.patchKey('sc', { notes: 'journaled' })
    const copy = crashCopy(dir)
    const journal = `${vaultPath(copy)}.journal`
    const lines = fs.readFileSync(journal, 'utf8').split('\n')
    const at = lines.findIndex((line) => line.includes('journaled'))
    lines[at] = lines[at]!.replace('"state":"active"', '"state":"paused"')
    fs.writeFileSync(journal, lines.join('\n'))
    const error = await openVault(options(copy, cipher)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(VaultCorruptError)
    expect((error as Error).message).toMatch(/journal.*meta.state/)
  })
})
