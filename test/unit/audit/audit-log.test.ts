import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import Conf from 'conf'
import { afterEach, describe, expect, it } from 'vitest'
import { InputError } from '../../../src/main/core/errors.ts'
import type { EngineAudit, EngineVault } from '../../../src/main/core/engine/ports.ts'
import type { AuditEntry, AuditInput } from '../../../src/main/core/audit/audit-entry.ts'
import { AUDIT_GROUP_MS, openAuditLog, type AuditLog } from '../../../src/main/core/audit/audit-log.ts'
import { createPassphraseCipher } from '../../../src/main/core/vault/passphrase-cipher.ts'
import { openVault } from '../../../src/main/core/vault/vault.ts'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-audit-'))
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function openLog(file: string, now?: () => number): Promise<AuditLog> {
  const log = await openAuditLog({ path: file, ...(now ? { now } : {}) })
  cleanups.push(() => log.close())
  return log
}

const entry = (overrides: Partial<AuditInput> = {}): AuditInput => ({
  action: 'refreshed',
  libraryId: 'lib-1',
  libraryName: 'Pasta Palace',
  outcome: 'ok',
  ...overrides
})

describe('audit log', () => {
  it('appends entries with increasing seq and the time, and pages them newest first', async () => {
    const file = path.join(tempDir(), 'audit.jsonl')
    let clock = 1_000
    const log = await openLog(file, () => clock++)
    const first = await log.append(entry({ action: 'added', detail: 'pasted by hand' }))
    const second = await log.append(entry({ action: 'copied' }))
    expect(first).toEqual({ seq: 1, at: 1_000, action: 'added', libraryId: 'lib-1', libraryName: 'Pasta Palace', outcome: 'ok', detail: 'pasted by hand' })
    expect(second.seq).toBe(2)
    const page = await log.page({ limit: 10 })
    expect(page.entries.map((e) => e.seq)).toEqual([2, 1])
    expect(page.nextBefore).toBeNull()
    const lines = fs.readFileSync(file, 'utf8').split('\n')
    expect(lines).toHaveLength(3)
    expect(JSON.parse(lines[0] as string)).toEqual(first)
  })

  it('keeps the file private (0600), tightening one that was loosened', async () => {
    const file = path.join(tempDir(), 'audit.jsonl')
    const log = await openAuditLog({ path: file })
    await log.append(entry())
    await log.close()
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    fs.chmodSync(file, 0o644)
    await (await openLog(file)).append(entry())
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  })

  it('pages through everything exactly once with nextBefore', async () => {
    const file = path.join(tempDir(), 'audit.jsonl')
    const log = await openLog(file)
    await Promise.all(Array.from({ length: 1234 }, (_, i) => log.append(entry({ libraryId: `lib-${i % 7}` }))))
    const seen: number[] = []
    let before: number | undefined
    for (;;) {
      const page = await log.page({ limit: 100, ...(before === undefined ? {} : { before }) })
      seen.push(...page.entries.map((e) => e.seq))
      if (page.nextBefore === null) break
      expect(page.entries).toHaveLength(100)
      before = page.nextBefore
    }
    expect(seen).toEqual(Array.from({ length: 1234 }, (_, i) => 1234 - i))
  })

  it('filters by library, action and time range, and pages within the filter', async () => {
    const file = path.join(tempDir(), 'audit.jsonl')
    let clock = 0
    const log = await openLog(file, () => (clock += 10))
    for (let i = 0; i < 600; i++) {
      await log.append(entry({ libraryId: `lib-${i % 3}`, action: i % 2 === 0 ? 'refreshed' : 'copied' }))
    }
    const byLibrary = await log.page({ limit: 500, libraryId: 'lib-1' })
    expect(byLibrary.entries).toHaveLength(200)
    expect(byLibrary.entries.every((e) => e.libraryId === 'lib-1')).toBe(true)

    const filter = { libraryId: 'lib-2', action: 'copied' as const, since: 1_000, until: 5_000 }
    const expected: number[] = []
    for (let seq = 600; seq >= 1; seq--) {
      const i = seq - 1
      const at = seq * 10
      if (i % 3 === 2 && i % 2 === 1 && at >= 1_000 && at <= 5_000) expected.push(seq)
    }
    const got: AuditEntry[] = []
    let page = await log.page({ ...filter, limit: 7 })
    got.push(...page.entries)
    while (page.nextBefore !== null) {
      page = await log.page({ ...filter, limit: 7, before: page.nextBefore })
      got.push(...page.entries)
    }
    expect(got.map((e) => e.seq)).toEqual(expected)
  })

  it('continues its seq after a restart', async () => {
    const file = path.join(tempDir(), 'audit.jsonl')
    const log = await openAuditLog({ path: file })
    for (let i = 0; i < 5; i++) await log.append(entry())
    await log.close()
    const reopened = await openLog(file)
    expect((await reopened.append(entry({ action: 'removed' }))).seq).toBe(6)
    expect((await reopened.page({ limit: 3 })).entries.map((e) => e.seq)).toEqual([6, 5, 4])
  })

  it('skips a torn last line (a crash mid-append) and appends after it on a fresh line', async () => {
    const file = path.join(tempDir(), 'audit.jsonl')
    const log = await openAuditLog({ path: file })
    await log.append(entry())
    await log.append(entry())
    await log.close()
    fs.appendFileSync(file, '{"seq":3,"at":1,"action":"refre')
    const reopened = await openLog(file)
    expect((await reopened.page({ limit: 10 })).entries.map((e) => e.seq)).toEqual([2, 1])
    const next = await reopened.append(entry({ action: 'copied' }))
    expect(next.seq).toBe(3)
    await reopened.close()
    const again = await openLog(file)
    expect((await again.page({ limit: 10 })).entries.map((e) => [e.seq, e.action])).toEqual([
      [3, 'copied'],
      [2, 'refreshed'],
      [1, 'refreshed']
    ])
  })

  it('skips garbage and hand-edited lines anywhere in the file', async () => {
    const file = path.join(tempDir(), 'audit.jsonl')
    const good = (seq: number) => JSON.stringify({ seq, at: seq, ...entry() })
    fs.writeFileSync(file, [good(1), 'not json', good(2), '{"seq":3,"at":3,"action":"hacked","libraryId":"x","libraryName":"x","outcome":"ok"}', '', good(4), ''].join('\n'))
    const log = await openLog(file)
    expect((await log.page({ limit: 10 })).entries.map((e) => e.seq)).toEqual([4, 2, 1])
    expect((await log.append(entry())).seq).toBe(5)
  })

  it('refuses bad entries and queries with the field named, writing nothing', async () => {
    const file = path.join(tempDir(), 'audit.jsonl')
    const log = await openLog(file)
    await log.append(entry())
    const before = fs.readFileSync(file)
    const junk = <T>(value: unknown): T => value as T
    const badEntries: [unknown, string][] = [
      [{ ...entry(), action: 'hacked' }, 'entry.action'],
      [{ ...entry(), outcome: 'maybe' }, 'entry.outcome'],
      [{ ...entry(), accessToken: 'abc' }, 'entry.accessToken'],
      [{ ...entry(), libraryName: '  ' }, 'entry.libraryName'],
      [{ ...entry(), libraryId: 'two\nlines' }, 'entry.libraryId'],
      [{ ...entry(), libraryId: 42 }, 'entry.libraryId'],
      [{ ...entry(), detail: 'x'.repeat(1001) }, 'entry.detail'],
      [{ ...entry(), detail: '' }, 'entry.detail'],
      [null, 'entry']
    ]
    for (const [bad, field] of badEntries) {
      const error = await log.append(junk(bad)).catch((e: unknown) => e)
      expect(error, field).toBeInstanceOf(InputError)
      expect((error as InputError).field).toBe(field)
    }
    const badQueries: [unknown, string][] = [
      [{ limit: 0 }, 'query.limit'],
      [{ limit: 501 }, 'query.limit'],
      [{ limit: 1.5 }, 'query.limit'],
      [{}, 'query.limit'],
      [{ limit: 10, before: 0 }, 'query.before'],
      [{ limit: 10, action: 'hacked' }, 'query.action'],
      [{ limit: 10, since: NaN }, 'query.since'],
      [{ limit: 10, since: 10, until: 5 }, 'query.until'],
      [{ limit: 10, libraryId: '' }, 'query.libraryId'],
      [{ limit: 10, order: 'asc' }, 'query.order']
    ]
    for (const [bad, field] of badQueries) {
      const error = await log.page(junk(bad)).catch((e: unknown) => e)
      expect(error, field).toBeInstanceOf(InputError)
      expect((error as InputError).field).toBe(field)
    }
    expect(fs.readFileSync(file)).toEqual(before)
    expect((await log.append(entry())).seq).toBe(2)
  })

  it('records vault-wide events without a library', async () => {
    const log = await openLog(path.join(tempDir(), 'audit.jsonl'))
    const restored = await log.append({ action: 'restored', libraryId: null, libraryName: null, outcome: 'ok', detail: 'from the backup of 2 January' })
    expect(restored.libraryId).toBeNull()
  })

  it('writes appends in seq order even when they arrive all at once', async () => {
    const file = path.join(tempDir(), 'audit.jsonl')
    const log = await openLog(file)
    const written = await Promise.all(Array.from({ length: 300 }, () => log.append(entry())))
    expect(written.map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1))
    const seqs = fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line).seq)
    expect(seqs).toEqual(Array.from({ length: 300 }, (_, i) => i + 1))
  })

  it('groups a burst of entries into few durable writes, in order, each entry written once', async () => {
    // A refresh burst records an entry every fraction of a millisecond for hundreds of milliseconds; one fsynced
    // write each (or one per fsync's duration) costs the main thread more than the entries themselves.
    const file = path.join(tempDir(), 'audit.jsonl')
    const log = await openLog(file)
    // Refreshes finish a batch at a time (each group commit answers several), so entries come a few at once.
    const pending: Promise<AuditEntry>[] = []
    const started = performance.now()
    for (let clump = 0; clump < 60; clump++) {
      for (let i = 0; i < 4; i++) pending.push(log.append(entry({ libraryId: `lib-${clump * 4 + i}` })))
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    const elapsed = performance.now() - started
    const written = await Promise.all(pending)
    expect(written.map((e) => e.seq)).toEqual(Array.from({ length: 240 }, (_, i) => i + 1))
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line).libraryId)
    expect(lines).toEqual(Array.from({ length: 240 }, (_, i) => `lib-${i}`))
    // At most one write per grouping window while the entries keep coming, and the one that opened the burst.
    expect(log.stats().entries).toBe(240)
    expect(log.stats().writes).toBeLessThanOrEqual(Math.ceil(elapsed / AUDIT_GROUP_MS) + 2)
  })

  it('writes a lone entry at once, without waiting for a grouping window', async () => {
    const file = path.join(tempDir(), 'audit.jsonl')
    const log = await openLog(file)
    await log.append(entry())
    // Appended one by one, each awaited: nothing is waiting to be grouped with, so each goes out as it comes.
    for (let i = 0; i < 5; i++) await log.append(entry())
    expect(log.stats().writes).toBe(6)
    expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(6)
  })

  it('holds none of the secrets after an add → refresh → copy → failure cycle', async () => {
    const dir = tempDir()
    const log = await openLog(path.join(dir, 'audit.jsonl'))
    const { cipher } = await createPassphraseCipher('correct horse battery staple', undefined, { cost: { N: 1024, r: 8, p: 1 } })
    const vault = await openVault({ path: path.join(dir, 'vault.json'), openStore: () => new Conf({ cwd: dir, configName: 'vault', configFileMode: 0o600 }), cipher })
    cleanups.push(() => vault.close())
    // Both satisfy the engine's ports.
    const ports: { vault: EngineVault; audit: EngineAudit } = { vault, audit: log }
    const secrets = { clientSecret: 'cs-SECRET-1a2b3c', accessToken: 'at-SECRET-4d5e6f', refreshToken: 'rt-SECRET-7a8b9c' }
    const meta = {
      id: 'lib-1', name: 'Pasta Palace', apicbaseLibraryId: null, apicbaseLibraryName: null, tokenType: 'connected_application' as const,
      scopes: ['library'], apiBaseUrl: 'https://api.apicbase.com', clientId: 'client-1', addedAt: 1, issuedAt: 1, expiresAt: 2,
      lastRefreshedAt: null, lastUsedAt: null, lastError: null, tokenState: 'active' as const, tokenPreview: ''
    }
    await vault.add(meta, secrets)
    await log.append({ action: 'added', libraryId: 'lib-1', libraryName: 'Pasta Palace', outcome: 'ok' })
    const pair = { accessToken: 'at-SECRET-newnew', refreshToken: 'rt-SECRET-newnew', issuedAt: 10, expiresAt: 20, scopes: ['library'] }
    await ports.vault.commitRotation('lib-1', { sentRefreshToken: secrets.refreshToken, pair })
    await ports.audit.append({ action: 'refreshed', libraryId: 'lib-1', libraryName: 'Pasta Palace', outcome: 'ok', detail: 'trigger: copy' })
    const copied = await ports.vault.secrets('lib-1')
    await log.append({ action: 'copied', libraryId: 'lib-1', libraryName: 'Pasta Palace', outcome: 'ok', detail: `token ${vault.get('lib-1')?.tokenPreview} copied; clipboard clears in 30 s` })
    await ports.audit.append({ action: 'failed', libraryId: 'lib-1', libraryName: 'Pasta Palace', outcome: 'error', detail: 'invalid_grant: Apicbase no longer accepts the refresh token of Pasta Palace.' })
    await log.close()

    const raw = fs.readFileSync(path.join(dir, 'audit.jsonl'), 'utf8')
    expect(raw.trim().split('\n')).toHaveLength(4)
    for (const value of [...Object.values(secrets), pair.accessToken, pair.refreshToken, copied.accessToken]) {
      expect(raw).not.toContain(value)
    }
    expect(raw).not.toContain('SECRET')
  })
})
