import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/main/core/errors.ts'
import type { LibraryMeta } from '../../../src/main/core/model.ts'
import { openVault, type Vault } from '../../../src/main/core/vault/vault.ts'
import { bytes, durableBytes, makeMeta, makePair, makeSecrets, newCipher, open, options, tempDir, vaultPath } from './fixtures.ts'

// Runtime garbage, as a renderer bug or a hand-built IPC call would send it.
const junk = <T>(value: unknown): T => value as T

type Case = [label: string, field: RegExp, call: (vault: Vault) => unknown]

const meta = (overrides: Record<string, unknown>): LibraryMeta => junk({ ...makeMeta('new-lib'), ...overrides })
const withoutKey = (key: keyof LibraryMeta): LibraryMeta => {
  const copy: Record<string, unknown> = { ...makeMeta('new-lib') }
  delete copy[key]
  return junk(copy)
}

const cases: Case[] = [
  ['get: empty id', /^id$/, (v) => v.get('')],
  ['get: whitespace id', /^id$/, (v) => v.get('   ')],
  ['get: number id', /^id$/, (v) => v.get(junk(42))],
  ['isSpent: empty', /^refreshToken$/, (v) => v.isSpent('')],
  ['isSpent: not text', /^refreshToken$/, (v) => v.isSpent(junk(null))],
  ['secrets: unknown id', /^id$/, (v) => v.secrets('nope')],
  ['secrets: id with a space', /^id$/, (v) => v.secrets('a b')],
  ['add: duplicate id', /^meta\.id$/, (v) => v.add(makeMeta('lib'), makeSecrets())],
  ['add: missing field', /^meta\.clientId$/, (v) => v.add(withoutKey('clientId'), makeSecrets())],
  ['add: blank name', /^meta\.name$/, (v) => v.add(meta({ name: '   ' }), makeSecrets())],
  ['add: name with spaces around', /^meta\.name$/, (v) => v.add(meta({ name: ' Padded ' }), makeSecrets())],
  ['add: NaN expiry', /^meta\.expiresAt$/, (v) => v.add(meta({ expiresAt: NaN }), makeSecrets())],
  ['add: infinite issue time', /^meta\.issuedAt$/, (v) => v.add(meta({ issuedAt: Infinity }), makeSecrets())],
  ['add: expiry before issue', /^meta\.expiresAt$/, (v) => v.add(meta({ issuedAt: 2000, expiresAt: 1000 }), makeSecrets())],
  ['add: unknown token type', /^meta\.tokenType$/, (v) => v.add(meta({ tokenType: 'magic' }), makeSecrets())],
  ['add: plain http URL', /^meta\.apiBaseUrl$/, (v) => v.add(meta({ apiBaseUrl: 'http://api.example.com' }), makeSecrets())],
  ['add: URL with credentials', /^meta\.apiBaseUrl$/, (v) => v.add(meta({ apiBaseUrl: 'https://u:p@api.apicbase.com' }), makeSecrets())],
  ['add: not a URL', /^meta\.apiBaseUrl$/, (v) => v.add(meta({ apiBaseUrl: 'api.apicbase.com' }), makeSecrets())],
  ['add: scopes not a list', /^meta\.scopes$/, (v) => v.add(meta({ scopes: 'library' }), makeSecrets())],
  ['add: unknown meta field', /^meta\.password$/, (v) => v.add(meta({ password: 'x' }), makeSecrets())],
  ['add: bad lastError', /^meta\.lastError\.kind$/, (v) => v.add(meta({ lastError: { kind: 'oops', message: 'm', at: 1 } }), makeSecrets())],
  ['add: meta not an object', /^meta$/, (v) => v.add(junk('lib'), makeSecrets())],
  ['add: token with a space', /^secrets\.accessToken$/, (v) => v.add(meta({}), { ...makeSecrets(), accessToken: 'abc def' })],
  ['add: token with a newline', /^secrets\.refreshToken$/, (v) => v.add(meta({}), { ...makeSecrets(), refreshToken: 'abcdef\n' })],
  ['add: empty client secret', /^secrets\.clientSecret$/, (v) => v.add(meta({}), { ...makeSecrets(), clientSecret: '' })],
  ['add: extra secret field', /^secrets\.password$/, (v) => v.add(meta({}), junk({ ...makeSecrets(), password: 'x' }))],
  ['add: secrets missing', /^secrets$/, (v) => v.add(meta({}), junk(undefined))],
  ['remove: unknown id', /^id$/, (v) => v.remove('nope')],
  ['remove: empty id', /^id$/, (v) => v.remove('')],
  ['patch: unknown id', /^id$/, (v) => v.patch('nope', { name: 'X' })],
  ['patch: empty name', /^patch\.name$/, (v) => v.patch('lib', { name: '' })],
  ['patch: NaN lastUsedAt', /^patch\.lastUsedAt$/, (v) => v.patch('lib', { lastUsedAt: NaN })],
  ['patch: unknown token state', /^patch\.tokenState$/, (v) => v.patch('lib', junk({ tokenState: 'zombie' }))],
  ['patch: field with its own call', /^patch\.clientId$/, (v) => v.patch('lib', junk({ clientId: 'x' }))],
  ['patch: lastError without message', /^patch\.lastError\.message$/, (v) => v.patch('lib', junk({ lastError: { kind: 'network', at: 1 } }))],
  ['patch: not an object', /^patch$/, (v) => v.patch('lib', junk(null))],
  ['replaceCredentials: unknown id', /^id$/, (v) => v.replaceCredentials('nope', { clientId: 'a', clientSecret: 'b' })],
  ['replaceCredentials: secret with space', /^credentials\.clientSecret$/, (v) => v.replaceCredentials('lib', { clientId: 'a', clientSecret: 'b c' })],
  ['reauthorize: expiry before issue', /^pair\.expiresAt$/, (v) => v.reauthorize('lib', { ...makePair('x'), expiresAt: 1 })],
  ['reauthorize: token not text', /^pair\.accessToken$/, (v) => v.reauthorize('lib', junk({ ...makePair('x'), accessToken: 12345 }))],
  ['commitRotation: empty sent token', /^rotation\.sentRefreshToken$/, (v) => v.commitRotation('lib', { sentRefreshToken: '', pair: makePair('x') })],
  ['commitRotation: pair missing', /^rotation\.pair$/, (v) => v.commitRotation('lib', junk({ sentRefreshToken: 'abc' }))],
  ['commitRotation: NaN expiry', /^rotation\.pair\.expiresAt$/, (v) => v.commitRotation('lib', { sentRefreshToken: 'abc', pair: { ...makePair('x'), expiresAt: NaN } })],
  ['commitRotation: extra field', /^rotation\.accessToken$/, (v) => v.commitRotation('lib', junk({ sentRefreshToken: 'abc', pair: makePair('x'), accessToken: 'leak' }))],
  ['commitRotation: id not text', /^id$/, (v) => v.commitRotation(junk(7), { sentRefreshToken: 'abc', pair: makePair('x') })],
  ['updateSettings: clipboard clear too short', /^settings\.clipboardClearMs$/, (v) => v.updateSettings({ clipboardClearMs: 100 })],
  ['updateSettings: infinite threshold', /^settings\.expiringSoonMs$/, (v) => v.updateSettings({ expiringSoonMs: Infinity })],
  ['updateSettings: refresh ahead beyond token life', /^settings\.refreshAheadMs$/, (v) => v.updateSettings({ refreshAheadMs: 8 * 86_400_000 })],
  ['updateSettings: notification not boolean', /^settings\.notifications\.expiring$/, (v) => v.updateSettings(junk({ notifications: { expiring: 'yes' } }))],
  ['updateSettings: unknown setting', /^settings\.theme$/, (v) => v.updateSettings(junk({ theme: 'dark' }))],
  ['updateSettings: bad URL', /^settings\.defaultApiBaseUrl$/, (v) => v.updateSettings({ defaultApiBaseUrl: 'ftp://api.apicbase.com' })]
]

describe('vault: bad input changes nothing', () => {
  for (const [label, field, call] of cases) {
    it(`${label} → InputError naming ${field.source.replace(/[\\^$]/g, '')}`, async () => {
      const dir = tempDir()
      const vault = await open(dir, await newCipher())
      await vault.add(makeMeta('lib'), makeSecrets())
      const fileBefore = durableBytes(dir)
      const spentBefore = bytes(`${vaultPath(dir)}.spent`)
      const listBefore = structuredClone(vault.list())
      const settingsBefore = structuredClone(vault.settings())
      let error: unknown
      try {
        await call(vault)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(InputError)
      expect((error as InputError).field).toMatch(field)
      expect((error as Error).message).not.toMatch(/SECRET-/)
      await vault.flush()
      expect(durableBytes(dir)).toEqual(fileBefore)
      expect(bytes(`${vaultPath(dir)}.spent`)).toEqual(spentBefore)
      expect(vault.list()).toEqual(listBefore)
      expect(vault.settings()).toEqual(settingsBefore)
    })
  }

  it('refuses bad open options before touching anything', async () => {
    const dir = tempDir()
    const cipher = await newCipher()
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ commitWindowMs: -1 }, /^options\.commitWindowMs$/],
      [{ commitWindowMs: NaN }, /^options\.commitWindowMs$/],
      [{ cipher: { kind: 'x' } }, /^options\.cipher$/],
      [{ cipher: { kind: ' ', encrypt: async () => '', decrypt: async () => '' } }, /^options\.cipher\.kind$/],
      [{ path: '' }, /^options\.path$/],
      [{ openStore: 'conf' }, /^options\.openStore$/],
      [{ migrations: [{ from: 1, to: 1, migrate: (d: unknown) => d }] }, /^migrations\[0\]\.to$/],
      [{ surprise: true }, /^options\.surprise$/]
    ]
    for (const [overrides, field] of bad) {
      const error = await openVault(junk({ ...options(dir, cipher), ...overrides })).catch((e: unknown) => e)
      expect(error, field.source).toBeInstanceOf(InputError)
      expect((error as InputError).field).toMatch(field)
    }
    expect(fs.readdirSync(dir)).toEqual([])
  })

  it('accepts the loopback sandbox over plain http', async () => {
    const dir = tempDir()
    const vault = await open(dir, await newCipher())
    await vault.add(makeMeta('sandbox', { apiBaseUrl: 'http://127.0.0.1:4010' }), makeSecrets())
    expect(vault.get('sandbox')?.apiBaseUrl).toBe('http://127.0.0.1:4010')
  })
})
