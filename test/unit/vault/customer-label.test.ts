// A library's customer label in the vault: a plain field of its record and of a personal entry, not bound to its
// secrets. A record written before the label existed (test/fixtures/vault-v4, written by the schema 4 code) reads as
// having none, and is written back byte for byte as it was; a label set later survives the journal and a reopen,
// and taking it away leaves the record as it was before. What is not a label is refused, naming the field.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/main/core/errors.ts'
import { createPassphraseCipher } from '../../../src/main/core/vault/passphrase-cipher.ts'
import { openVault, readVaultHeader } from '../../../src/main/core/vault/vault.ts'
import { bytes, FAST_COST, makeMeta, makeSecrets, newCipher, open, options, tempDir, trackVault, vaultPath } from './fixtures.ts'

const FIXTURE = path.join(import.meta.dirname, '../../fixtures/vault-v4')
const PASSPHRASE = 'larder v4 fixture passphrase'

function copyFixture(): string {
  const dir = tempDir()
  for (const name of ['vault.json', 'vault.json.spent']) fs.copyFileSync(path.join(FIXTURE, name), path.join(dir, name))
  return dir
}

async function fixtureCipher(dir: string) {
  const header = readVaultHeader(vaultPath(dir))
  if (header === null) throw new Error('the fixture has no vault file')
  return (await createPassphraseCipher(PASSPHRASE, header.cipher, { cost: FAST_COST })).cipher
}

type Parsed = { libraries: Record<string, { meta: Record<string, unknown> }>; entries: Record<string, Record<string, unknown>> }
const parse = (buffer: Buffer | null): Parsed => JSON.parse(buffer!.toString('utf8')) as Parsed

describe('vault: a library’s customer label', () => {
  it('a record written before labels existed (a real schema 4 file) has none, and its bytes stay as they were', async () => {
    const dir = copyFixture()
    const before = parse(bytes(vaultPath(dir)))
    expect(Object.keys(before.libraries['v4-nord']!.meta)).not.toContain('customer')
    const cipher = await fixtureCipher(dir)
    const vault = trackVault(await openVault(options(dir, cipher)))

    for (const meta of vault.list()) expect(meta.customer).toBeUndefined()
    expect(vault.entry('v4-pat-east')?.customer).toBeUndefined()
    await vault.close()
    const after = parse(bytes(vaultPath(dir)))
    expect(JSON.stringify(after.libraries)).toBe(JSON.stringify(before.libraries))
    expect(JSON.stringify(after.entries)).toBe(JSON.stringify(before.entries))
  })

  it('a label set on an old record and on its entry survives a reopen, and its secrets still open (the label is not bound)', async () => {
    const dir = copyFixture()
    const cipher = await fixtureCipher(dir)
    const vault = trackVault(await openVault(options(dir, cipher)))
    const untouched = JSON.stringify(parse(bytes(vaultPath(dir))).libraries['v4-west'])

    await vault.patch('v4-nord', { customer: 'Grill Haven' })
    await vault.patchEntry('v4-pat-east', { customer: 'Cantine Group' })
    expect(vault.get('v4-nord')?.customer).toBe('Grill Haven')
    expect(vault.entry('v4-pat-east')?.customer).toBe('Cantine Group')
    await vault.close()

    const again = trackVault(await openVault(options(dir, cipher)))
    expect(again.get('v4-nord')?.customer).toBe('Grill Haven')
    expect(again.entry('v4-pat-east')?.customer).toBe('Cantine Group')
    expect(again.get('v4-west')?.customer).toBeUndefined()
    expect(await again.secrets('v4-nord')).toEqual({
      clientSecret: 'v4-fixture-client-secret-nord',
      accessToken: 'v4-fixture-access-token-nord',
      refreshToken: 'v4-fixture-refresh-token-nord'
    })
    const file = parse(bytes(vaultPath(dir)))
    expect(file.libraries['v4-nord']!.meta['customer']).toBe('Grill Haven')
    expect(JSON.stringify(file.libraries['v4-west'])).toBe(untouched)
  })

  it('taking the label away (null) leaves the record as it was before it had one', async () => {
    const dir = tempDir()
    const vault = await open(dir, await newCipher())
    await vault.add(makeMeta('lib-1'), makeSecrets())
    const plain = JSON.stringify(vault.get('lib-1'))
    await vault.patch('lib-1', { customer: 'Bistro Nord' })
    expect(vault.get('lib-1')?.customer).toBe('Bistro Nord')
    await vault.patch('lib-1', { customer: null })
    expect(JSON.stringify(vault.get('lib-1'))).toBe(plain)
    expect('customer' in vault.get('lib-1')!).toBe(false)
  })

  it('a library added with a label keeps it; renaming it (a bound field) keeps the label and the secrets open', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    const vault = await open(dir, cipher)
    const secrets = makeSecrets()
    await vault.add(makeMeta('lib-1', { customer: 'Grill Haven' }), secrets)
    await vault.patch('lib-1', { name: 'Grill Haven Centrum' })
    await vault.close()
    const again = await open(dir, cipher)
    expect(again.get('lib-1')).toMatchObject({ name: 'Grill Haven Centrum', customer: 'Grill Haven' })
    expect(await again.secrets('lib-1')).toEqual(secrets)
  })

  it('refuses what is not a label, naming the field, and changes nothing', async () => {
    const dir = tempDir()
    const vault = await open(dir, await newCipher())
    await vault.add(makeMeta('lib-1'), makeSecrets())
    const file = bytes(vaultPath(dir))
    const bad: unknown[] = ['', ' padded ', 'two\nlines', 'x'.repeat(201), 42]
    for (const customer of bad) {
      await expect(vault.patch('lib-1', { customer } as never)).rejects.toSatisfy((error) => error instanceof InputError && error.field === 'patch.customer')
      await expect(vault.add(makeMeta('lib-2', { customer } as never), makeSecrets())).rejects.toSatisfy((error) => error instanceof InputError && error.field === 'meta.customer')
    }
    expect(vault.get('lib-1')?.customer).toBeUndefined()
    expect(vault.get('lib-2')).toBeUndefined()
    expect(bytes(vaultPath(dir))).toEqual(file)
  })
})
