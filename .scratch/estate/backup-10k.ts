// Backup and restore at 10,000 libraries: how long each step takes (wall and CPU). Run: node .scratch/estate/backup-10k.ts
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import Conf from 'conf'
import { createPassphraseCipher } from '../../src/main/core/vault/passphrase-cipher.ts'
import { openVault } from '../../src/main/core/vault/vault.ts'
import { collectBackup, readBackupFile, writeBackupFile } from '../../src/main/core/estate/backup/backup-file.ts'
import { restoreBackup } from '../../src/main/core/estate/backup/restore.ts'
import type { LibraryMeta } from '../../src/main/core/model.ts'

const N = Number(process.argv[2] ?? 10_000)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-10k-'))
const cost = { N: 2 ** 17, r: 8, p: 1 } // the app's own vault cost
const time = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
  const cpu = process.cpuUsage()
  const start = performance.now()
  const result = await run()
  const used = process.cpuUsage(cpu)
  console.log(`${label.padEnd(44)} ${(performance.now() - start).toFixed(0).padStart(7)} ms wall  ${((used.user + used.system) / 1000).toFixed(0).padStart(7)} ms CPU`)
  return result
}
const open = async (name: string) => {
  const cipher = (await createPassphraseCipher('ten thousand libraries', undefined, { cost })).cipher
  fs.mkdirSync(path.join(dir, name))
  return openVault({ path: path.join(dir, name, 'vault.json'), cipher, openStore: () => new Conf({ cwd: path.join(dir, name), configName: 'vault', configFileMode: 0o600 }) })
}
const now = Date.now()
const meta = (i: number): LibraryMeta => ({
  id: `lib-${i}`, name: `Restaurant ${i}`, apicbaseLibraryId: String(10_000 + i), apicbaseLibraryName: `Restaurant ${i}`, tokenType: 'connected_application',
  scopes: ['library', 'accounts'], apiBaseUrl: 'https://api.apicbase.com', clientId: `client-${randomBytes(10).toString('hex')}`, addedAt: now, issuedAt: now,
  expiresAt: now + 7 * 86_400_000, lastRefreshedAt: now, lastUsedAt: null, lastError: null, tokenState: 'active', tokenPreview: '…'
})
const token = () => randomBytes(30).toString('base64url')
const source = await open('source')
await time(`fill the source vault (${N})`, async () => {
  for (let start = 0; start < N; start += 500) await Promise.all(Array.from({ length: Math.min(500, N - start) }, (_, k) => source.add(meta(start + k), { clientSecret: token(), accessToken: token(), refreshToken: token() })))
})
const file = path.join(dir, 'larder.age')
const { document } = await time('collect (open every secret)', () => collectBackup(source, { now }))
const written = await time('encrypt (age, scrypt 2^18) and write', () => writeBackupFile(file, document, 'a passphrase of words'))
console.log(`file: ${(written.bytes / 1024 / 1024).toFixed(1)} MB`)
const read = await time('read, decrypt and check the document', () => readBackupFile(file, 'a passphrase of words'))
const target = await open('target')
const report = await time('restore into a new vault (check stubbed live)', () =>
  restoreBackup(read, { vault: target, now: () => now, check: async () => ({ verdict: 'live', status: '200' }), track: () => undefined, audit: () => undefined }, { dryRun: false, takeOver: false, file })
)
console.log(`restored: ${report.counts.restored}`)
const again = await time('restore onto the same pairs (unchanged)', () =>
  restoreBackup(read, { vault: target, now: () => now, check: async () => ({ verdict: 'live', status: '200' }), track: () => undefined, audit: () => undefined }, { dryRun: true, takeOver: false, file })
)
console.log(`unchanged: ${again.counts.unchanged}`)
await source.close()
await target.close()
fs.rmSync(dir, { recursive: true, force: true })
