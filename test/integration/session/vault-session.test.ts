import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Conf from 'conf'
import { afterEach, describe, expect, it } from 'vitest'
import { createLarderApp, type LarderApp } from '../../../src/main/app/create-app.ts'
import type { VaultSession } from '../../../src/main/app/vault-session.ts'
import { createPassphraseCipher, type Cipher } from '../../../src/main/core/vault/index.ts'
import { FAST_SCRYPT } from '../../support/core-harness.ts'

const dirs: string[] = []
const apps: LarderApp[] = []
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close()
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

/** The app as every host builds it; its session is what these tests drive. */
function app(dir: string, keychain: Cipher | null = null): LarderApp {
  const built = createLarderApp({
    info: { name: 'Larder', version: 'test', host: 'browser' },
    storage: {
      vaultPath: path.join(dir, 'vault.json'),
      auditPath: path.join(dir, 'audit.jsonl'),
      openStore: () => new Conf({ cwd: dir, configName: 'vault', configFileMode: 0o600 })
    },
    keychain,
    clipboard: { copySecret: () => ({ clearsAt: null }) },
    scryptCost: FAST_SCRYPT
  })
  apps.push(built)
  return built
}

function session(dir: string, keychain: Cipher | null = null): VaultSession {
  return app(dir, keychain).session
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-session-'))
  dirs.push(dir)
  return dir
}

/** Stands in for the OS keychain: a cipher of another kind, as safeStorage would be. */
async function fakeKeychain(): Promise<Cipher> {
  const { cipher } = await createPassphraseCipher('keychain-test-key', undefined, { cost: FAST_SCRYPT })
  return { kind: 'safe-storage', encrypt: (p) => cipher.encrypt(p), decrypt: (s) => cipher.decrypt(s) }
}

describe('opening the vault', () => {
  it('without a trustworthy keychain, a new vault asks for a passphrase and opens with it', async () => {
    const dir = tempDir()
    const { session: s, handlers } = app(dir)
    expect(await s.start()).toEqual({ state: 'locked', mode: 'create' })
    const locked = await handlers['libraries.list']({})
    expect(locked).toMatchObject({ ok: false, error: { kind: 'vault', message: expect.stringMatching(/locked/) } })
    await expect(s.unlock('short')).rejects.toMatchObject({ field: 'passphrase' })
    expect(s.state()).toEqual({ state: 'locked', mode: 'create' })
    expect(await s.unlock('a long enough passphrase')).toEqual({ state: 'open', cipher: 'passphrase' })
    expect(await handlers['libraries.list']({})).toEqual({ ok: true, value: [] })
  })

  it('a reopened passphrase vault stays locked until the right passphrase, and a wrong one changes nothing', async () => {
    const dir = tempDir()
    const first = session(dir)
    await first.start()
    await first.unlock('a long enough passphrase')
    await first.close()
    const before = fs.readFileSync(path.join(dir, 'vault.json'))
    const second = session(dir)
    expect(await second.start()).toEqual({ state: 'locked', mode: 'unlock' })
    await expect(second.unlock('not the passphrase')).rejects.toMatchObject({ field: 'passphrase', message: expect.stringMatching(/does not unlock/) })
    expect(fs.readFileSync(path.join(dir, 'vault.json')).equals(before)).toBe(true)
    expect(await second.unlock('a long enough passphrase')).toMatchObject({ state: 'open' })
  })

  it('with a keychain, opens at once; a keychain vault cannot be opened without it', async () => {
    const dir = tempDir()
    const keychain = await fakeKeychain()
    const first = session(dir, keychain)
    expect(await first.start()).toEqual({ state: 'open', cipher: 'keychain' })
    await first.close()
    const second = session(dir, null)
    expect(await second.start()).toMatchObject({ state: 'failed', message: expect.stringMatching(/keychain/) })
  })

  it('a damaged file is reported, kept, and the last good backup can be restored', async () => {
    const dir = tempDir()
    const vaultPath = path.join(dir, 'vault.json')
    const first = session(dir)
    await first.start()
    await first.unlock('a long enough passphrase')
    await first.close()
    const reopened = session(dir)
    await reopened.start()
    await reopened.unlock('a long enough passphrase') // a successful open leaves the last good backup
    await reopened.close()
    fs.writeFileSync(vaultPath, '{"schemaVersion": 1, "libraries": {') // truncated
    const damaged = fs.readFileSync(vaultPath)
    const s = session(dir)
    const state = await s.start()
    expect(state).toMatchObject({ state: 'damaged', message: expect.stringMatching(/has not been changed/) })
    expect(state.state === 'damaged' && state.backupSavedAt).toBeGreaterThan(0)
    expect(fs.readFileSync(vaultPath).equals(damaged)).toBe(true)
    await expect(s.restoreBackup()).rejects.toMatchObject({ field: 'passphrase' })
    expect(await s.restoreBackup('a long enough passphrase')).toMatchObject({ state: 'open' })
    const kept = fs.readdirSync(dir).filter((name) => name.includes('damaged'))
    expect(kept).toHaveLength(1)
    expect(fs.readFileSync(path.join(dir, kept[0]!)).equals(damaged)).toBe(true)
  })
})
