import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const fake = vi.hoisted(() => ({ userData: '', constructed: [] as Record<string, unknown>[] }))

vi.mock('electron', () => ({ app: { getPath: (name: string) => (name === 'userData' ? fake.userData : '/nowhere') } }))

// electron-store is conf plus Electron's paths; conf itself gives the same file, so the fake extends it and
// records the options it was given.
vi.mock('electron-store', async () => {
  const { default: Conf } = await import('conf')
  class FakeElectronStore extends Conf<Record<string, unknown>> {
    constructor(options: Record<string, unknown> & { name?: string }) {
      fake.constructed.push(options)
      const { name, ...rest } = options
      super({ ...rest, configName: name ?? 'config' })
    }
  }
  return { default: FakeElectronStore }
})

const { electronVaultFile, openElectronStore, vaultStorePath } = await import('../../../src/main/electron/vault-store.ts')
const { openVault } = await import('../../../src/main/core/vault/vault.ts')
const { createPassphraseCipher } = await import('../../../src/main/core/vault/passphrase-cipher.ts')

beforeEach(() => {
  fake.userData = mkdtempSync(join(tmpdir(), 'larder-store-'))
  fake.constructed = []
})
afterEach(() => rmSync(fake.userData, { recursive: true, force: true }))

describe('vault store on electron-store', () => {
  it('writes vault.json in userData, whole, owner-only', () => {
    const store = openElectronStore()
    expect(store.path).toBe(join(fake.userData, 'vault.json'))
    expect(vaultStorePath()).toBe(store.path)
    store.store = { schemaVersion: 1, libraries: { 'lib.with.dots': { name: 'A' } } }
    expect(JSON.parse(readFileSync(store.path, 'utf8'))).toEqual({ schemaVersion: 1, libraries: { 'lib.with.dots': { name: 'A' } } })
    if (process.platform !== 'win32') expect(statSync(store.path).mode & 0o777).toBe(0o600)
  })

  it('asks electron-store never to wipe a file it cannot read, and not to split keys on dots', () => {
    openElectronStore()
    expect(fake.constructed[0]).toMatchObject({
      cwd: fake.userData,
      name: 'vault',
      configFileMode: 0o600,
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false,
      watch: false
    })
  })

  it('never clears or rewrites a damaged file when it is made (the vault reads and judges the file itself)', () => {
    writeFileSync(join(fake.userData, 'vault.json'), '{ truncated')
    openElectronStore()
    expect(readFileSync(join(fake.userData, 'vault.json'), 'utf8')).toBe('{ truncated')
  })

  it('writes compact JSON that reads back as written', () => {
    const store = openElectronStore()
    store.store = { schemaVersion: 1, libraries: { a: { name: 'x' } } }
    const text = readFileSync(join(fake.userData, 'vault.json'), 'utf8')
    expect(text).toBe('{"schemaVersion":1,"libraries":{"a":{"name":"x"}}}')
  })

  it('exposes only the path and the whole-file write', () => {
    const store = openElectronStore()
    expect(Object.keys(store).sort()).toEqual(['path', 'store'])
    expect(Object.getOwnPropertyDescriptor(store, 'store')?.get).toBeUndefined()
  })

  it('declares how it writes, so a vault on it compacts on a worker thread, byte for byte what electron-store writes', async () => {
    const { path, openStore } = electronVaultFile()
    expect(openStore.format).toMatchObject({ indent: '', mode: 0o600 })
    const { cipher } = await createPassphraseCipher('correct horse battery staple', undefined, { cost: { N: 1024, r: 8, p: 1 } })
    const vault = await openVault({ path, openStore, cipher })
    try {
      const meta = {
        id: 'lib',
        name: 'Brasserie Nord',
        apicbaseLibraryId: null,
        apicbaseLibraryName: null,
        tokenType: 'service_account' as const,
        scopes: ['library'],
        apiBaseUrl: 'https://api.apicbase.com',
        clientId: 'client-lib',
        addedAt: 1_700_000_000_000,
        issuedAt: 1_700_000_000_000,
        expiresAt: 1_700_604_800_000,
        lastRefreshedAt: null,
        lastUsedAt: null,
        lastError: null,
        tokenState: 'active' as const,
        tokenPreview: '…'
      }
      await vault.add(meta, { clientSecret: 'client-secret-1', accessToken: 'access-token-1', refreshToken: 'refresh-token-1' })
      await vault.updateSettings({ clipboardClearMs: 45_000 })
      expect(vault.stats().backgroundWrites).toBe(1)
    } finally {
      await vault.close()
    }
    const written = readFileSync(path, 'utf8')
    const again = join(fake.userData, 'again')
    openElectronStore({ directory: again }).store = JSON.parse(written) as Record<string, unknown>
    expect(readFileSync(join(again, 'vault.json'), 'utf8')).toBe(written)
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600)
  })

  it('takes another directory and name, and refuses names that are paths', () => {
    const dir = join(fake.userData, 'profiles')
    const { path, openStore } = electronVaultFile({ directory: dir, name: 'work' })
    expect(path).toBe(join(dir, 'work.json'))
    expect(openStore().path).toBe(path)
    expect(() => openElectronStore({ name: '../escape' })).toThrow(/plain file name/)
    expect(() => openElectronStore({ directory: 'relative/dir' })).toThrow(/absolute/)
  })
})
