// Bulk import against the Apicbase sandbox, through the bridge as the window will use it ('import.dryRun',
// 'import.start', 'import.progress', 'import.report') and through the app's use case (runImport with an AbortSignal).
// A CSV with good and bad rows: the dry run sends nothing (the sandbox's counters) and changes nothing (the vault's
// bytes); the import adds the good rows exactly as a hand add would, a refresh token in two rows goes out once, a
// spent one never, a refused one changes nothing else; the report holds none of the file's secrets.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ImportReportView } from '../../../src/shared/contract.ts'
import { runImport } from '../../../src/main/app/use-cases/import-estate.ts'
import type { LibraryCredentials } from '../../sandbox/index.ts'
import { startLarder, tracked, type LarderHarness } from '../../support/larder-harness.ts'

let h: LarderHarness
afterEach(async () => {
  await h?.close()
})

const HEADER = 'Name,System,Token Type,Client ID,Client Secret,Access Token,Refresh Token,API Base URL'
type Pair = Pick<LibraryCredentials, 'tokenType' | 'clientId' | 'clientSecret' | 'accessToken' | 'refreshToken'>

function line(name: string, pair: Pair, extra: { clientSecret?: string; apiBaseUrl?: string } = {}): string {
  const secret = extra.clientSecret ?? pair.clientSecret
  return [`"${name}"`, 'apicbase', pair.tokenType, pair.clientId, secret, pair.accessToken, pair.refreshToken, extra.apiBaseUrl ?? h.sandbox.url].join(',')
}

function writeCsv(name: string, lines: readonly string[]): string {
  const file = path.join(h.dir, name)
  fs.writeFileSync(file, `\uFEFF${HEADER}\r\n${lines.join('\r\n')}\r\n\r\n`, { mode: 0o600 })
  return file
}

async function answer<T>(result: Promise<{ ok: true; value: T } | { ok: false; error: { kind: string; message: string; field?: string } }>): Promise<T> {
  const settled = await result
  if (!settled.ok) throw new Error(`refused: ${settled.error.kind} ${settled.error.field ?? ''}: ${settled.error.message}`)
  return settled.value
}

const tokenHits = (familyId?: string): number => h.sandbox.counters.hits.filter((hit) => hit.route === 'token' && (familyId === undefined || hit.familyId === familyId)).length
const statuses = (report: Pick<ImportReportView, 'rows'>): string[] => report.rows.map((row) => row.status)

/** Every secret the file holds (client secrets and both tokens of each row). */
function secretsOf(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .flatMap((row) => row.split(',').slice(4, 7))
    .filter((value) => value.length > 3)
}

describe('importing a CSV of libraries', () => {
  it('dry run: every row checked, nothing sent or stored; import: good rows added, bad rows reported, a repeated token sent once', async () => {
    h = await startLarder()
    const [nord, cafe, oost, west] = h.sandbox.fixtures.libraries as [LibraryCredentials, LibraryCredentials, LibraryCredentials, LibraryCredentials]
    // Café Zuid was added by hand before: its pasted refresh token is spent, its client ID held.
    await h.actions.add({ tokenType: cafe.tokenType, name: 'Café Zuid', clientId: cafe.clientId, clientSecret: cafe.clientSecret, accessToken: cafe.accessToken, refreshToken: cafe.refreshToken, apiBaseUrl: h.sandbox.url })
    const grill = h.sandbox.addLibraryWithApplication({ name: 'Grill Haven' })
    const proxied = h.sandbox.issueTokenPair({ clientId: grill.clientId, kind: 'service_account', libraryId: grill.id, scopes: grill.scopes })
    const file = writeCsv('customers.csv', [
      line('Brasserie Nord', nord),
      line('Trattoria Oost', oost),
      line('Nord (again)', nord),
      line('Café Zuid', cafe),
      line('Grill Haven (no secret)', grill, { clientSecret: '' }),
      line('Bistro West', west, { clientSecret: 'not-the-secret' }),
      line('Grill Haven via proxy', { ...grill, ...proxied, tokenType: 'service_account' }, { apiBaseUrl: 'https://api.partner-proxy.example' }),
      line('Grill Haven', grill)
    ])
    await h.vault.flush()
    const hits = h.sandbox.counters.hits.length
    const vaultBefore = fs.readFileSync(h.vaultPath)

    const checked = await answer(h.handlers['import.dryRun']({ path: file }))
    expect(statuses(checked)).toEqual(['ready', 'ready', 'duplicate', 'spent', 'problem', 'ready', 'problem', 'ready'])
    expect(checked.rows.map((row) => [row.row, row.line, row.name])).toEqual([
      [1, 2, 'Brasserie Nord'],
      [2, 3, 'Trattoria Oost'],
      [3, 4, 'Nord (again)'],
      [4, 5, 'Café Zuid'],
      [5, 6, 'Grill Haven (no secret)'],
      [6, 7, 'Bistro West'],
      [7, 8, 'Grill Haven via proxy'],
      [8, 9, 'Grill Haven']
    ])
    expect(checked.rows[2]?.message).toMatch(/Row 1 has the same refresh token; it is sent once, for row 1/)
    expect(checked.rows[3]?.problems[0]).toMatchObject({ field: 'refresh token', message: expect.stringMatching(/already used this refresh token/) })
    expect(checked.rows[4]?.problems).toEqual([{ field: 'client secret', message: 'The client secret is missing.' }])
    expect(checked.rows[6]).toMatchObject({ hostToConfirm: 'api.partner-proxy.example', problems: [{ field: 'api base url', message: expect.stringMatching(/--confirm-host api\.partner-proxy\.example/) }] })
    expect(checked.hostsToConfirm).toEqual(['api.partner-proxy.example'])
    expect(checked.counts).toEqual({ total: 8, ready: 4, imported: 0, failed: 0, problem: 2, duplicate: 1, spent: 1, cancelled: 0 })
    // Confirmed, the proxied row would be sent: a dry run with the host says so (and still sends nothing).
    const confirmed = await answer(h.handlers['import.dryRun']({ path: file, confirmedHosts: ['api.partner-proxy.example'] }))
    expect(confirmed.rows[6]).toMatchObject({ status: 'ready', hostToConfirm: null })
    await h.vault.flush()
    expect(h.sandbox.counters.hits.length).toBe(hits)
    expect(fs.readFileSync(h.vaultPath).equals(vaultBefore)).toBe(true)

    const tokensBefore = tokenHits()
    const imported = await answer(h.handlers['import.start']({ importId: checked.importId }))
    expect(statuses(imported)).toEqual(['imported', 'imported', 'duplicate', 'spent', 'problem', 'failed', 'problem', 'imported'])
    expect(imported.rows[5]?.message).toMatch(/rejected the client ID or client secret for Bistro West/)
    expect(imported.counts).toMatchObject({ total: 8, imported: 3, failed: 1 })
    // Four rows were sent, each once; the repeated, spent, incomplete and unconfirmed rows never.
    expect(tokenHits() - tokensBefore).toBe(4)
    expect(tokenHits(nord.familyId)).toBe(1)
    expect(tokenHits(cafe.familyId)).toBe(1) // the hand add, before
    expect(tokenHits(proxied.familyId)).toBe(0)
    const names = h.core.libraries.list().map((library) => library.name)
    expect(names.sort()).toEqual(['Brasserie Nord', 'Café Zuid', 'Grill Haven', 'Trattoria Oost'])
    expect(h.core.libraries.list().find((library) => library.name === 'Brasserie Nord')).toMatchObject({ status: 'healthy', apicbaseLibraryId: String(nord.id) })

    const progress = h.events.of('import.progress').filter((event) => event.importId === checked.importId)
    expect(progress.at(-1)).toEqual({ importId: checked.importId, total: 4, done: 4, ok: 3, failed: 1, cancelling: false, finished: true })
    expect(progress.map((event) => event.done)).toEqual([0, 1, 2, 3, 4, 4])

    // Imported at most once: the check is used up.
    expect(await h.handlers['import.start']({ importId: checked.importId })).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'importId' } })

    // The report, as answered and as saved, holds none of the file's secrets.
    const csv = await answer(h.handlers['import.report']({ importId: checked.importId, format: 'csv' }))
    const json = await answer(h.handlers['import.report']({ importId: checked.importId, format: 'json' }))
    expect(csv.fileName).toBe('customers import report.csv')
    expect(csv.text.split('\r\n')[0]).toBe('row,line,name,system,status,field,message,host to confirm,larder id')
    expect(JSON.parse(json.text)).toMatchObject({ fileName: 'customers.csv', dryRun: false, counts: imported.counts })
    // Saved by the app where the person chose (the window's file picker answers the path): the same text, private.
    const saved = await answer(h.handlers['import.saveReport']({ importId: checked.importId, format: 'csv', path: path.join(h.dir, 'report.csv') }))
    expect(saved).toEqual({ path: path.join(h.dir, 'report.csv'), bytes: Buffer.byteLength(csv.text) })
    expect(fs.readFileSync(saved.path, 'utf8')).toBe(csv.text)
    expect(fs.statSync(saved.path).mode & 0o777).toBe(0o600)
    expect(await h.handlers['import.saveReport']({ importId: checked.importId, format: 'csv', path: 'report.csv' })).toMatchObject({ ok: false, error: { field: 'path' } })
    const secrets = secretsOf(file)
    expect(secrets.length).toBeGreaterThan(15)
    const seen = JSON.stringify([checked, confirmed, imported, csv, json, h.events.all])
    for (const secret of secrets) expect(seen).not.toContain(secret)

    // The audit trail: one entry per imported row, and the file's summary.
    await h.nextTurn()
    const trail = await answer(h.handlers['audit.page']({ limit: 20, action: 'imported' }))
    expect(trail.entries.map((entry) => `${entry.outcome} ${entry.libraryName ?? '-'} ${entry.detail ?? ''}`).sort()).toEqual([
      'error - customers.csv: 8 rows: 3 imported, 1 failed, 1 duplicate, 1 spent, 2 with problems',
      'ok Brasserie Nord imported from customers.csv, row 1',
      'ok Grill Haven imported from customers.csv, row 8',
      'ok Trattoria Oost imported from customers.csv, row 2'
    ])
    const auditText = fs.readFileSync(path.join(h.dir, 'audit.jsonl'), 'utf8')
    for (const secret of secrets) expect(auditText).not.toContain(secret)
  })

  it('two imports of one file side by side send each refresh token once', async () => {
    h = await startLarder()
    const made = Array.from({ length: 6 }, (_, i) => h.sandbox.addLibraryWithApplication({ name: `Twin ${i + 1}` }))
    const file = writeCsv('twins.csv', made.map((library) => line(library.name, library)))
    const first = await answer(h.handlers['import.dryRun']({ path: file }))
    const second = await answer(h.handlers['import.dryRun']({ path: file }))
    const [a, b] = await Promise.all([answer(h.handlers['import.start']({ importId: first.importId })), answer(h.handlers['import.start']({ importId: second.importId }))])
    for (const library of made) expect(tokenHits(library.familyId), library.name).toBe(1)
    // Each row imported by exactly one of the two; the other says why it did not send it.
    for (let i = 0; i < made.length; i++) expect([a.rows[i]?.status, b.rows[i]?.status].sort()).toEqual(['duplicate', 'imported'])
    expect(h.core.libraries.list()).toHaveLength(made.length)
  })

  it('cancel mid-way: rows in flight finish, the rest are cancelled and never sent; importing again adds them', async () => {
    h = await startLarder()
    const made = Array.from({ length: 10 }, (_, i) => h.sandbox.addLibraryWithApplication({ name: `Cancel ${String(i + 1).padStart(2, '0')}` }))
    const text = [HEADER, ...made.map((library) => line(library.name, library))].join('\n')
    const abort = new AbortController()
    const report = await runImport(h.core, { text, fileName: 'cancel.csv' }, {}, (progress) => {
      if (progress.done === 1) abort.abort()
    }, abort.signal)
    // Four rows were in flight (the default concurrency) when the first one ended: they finished; six never started.
    expect(report.counts).toMatchObject({ imported: 4, cancelled: 6 })
    expect(report.cancelled).toBe(true)
    expect(statuses(report).slice(0, 4)).toEqual(['imported', 'imported', 'imported', 'imported'])
    for (const [i, library] of made.entries()) {
      expect(tokenHits(library.familyId), library.name).toBe(i < 4 ? 1 : 0)
      expect(h.core.vault.isSpent(library.refreshToken), library.name).toBe(i < 4)
    }
    expect(report.rows[9]).toMatchObject({ status: 'cancelled', message: 'Not started: the import was cancelled.' })
    await h.nextTurn()
    const trail = await answer(h.handlers['audit.page']({ limit: 20, action: 'imported' }))
    expect(trail.entries[0]?.detail).toBe('cancel.csv: 10 rows: 4 imported, 6 cancelled (cancelled)')

    const again = await runImport(h.core, { text, fileName: 'cancel.csv' })
    // The rows imported before hold spent refresh tokens now: never sent again, and the message says why.
    expect(statuses(again)).toEqual([...Array<string>(4).fill('spent'), ...Array<string>(6).fill('imported')])
    expect(again.rows[0]?.message).toMatch(/Larder holds "Cancel 01" .* with this client ID, most likely this row added before/)
    expect(h.core.libraries.list()).toHaveLength(10)
    // The bridge's cancel of an import that is not running says so.
    expect(await answer(h.handlers['import.cancel']({ importId: 'no-such-import' }))).toEqual({ cancelled: false })
  })

  it('a 429 pauses every row for that host until the time it names; the refused row is sent again then', async () => {
    h = await startLarder()
    const made = Array.from({ length: 8 }, (_, i) => h.sandbox.addLibraryWithApplication({ name: `Paced ${i + 1}` }))
    const text = [HEADER, ...made.map((library) => line(library.name, library))].join('\n')
    h.sandbox.faults.inject({ route: 'token', kind: 'rate_limit', times: 1, retryAfter: 30 })
    const start = h.sandbox.clock.now()
    const run = tracked(runImport(h.core, { text, fileName: 'paced.csv' }))
    await h.pump(run.done, 5_000)
    const report = await run.promise
    expect(report.counts).toMatchObject({ imported: 8, failed: 0 })
    const tokens = h.sandbox.counters.hits.filter((hit) => hit.route === 'token')
    expect(tokens.map((hit) => hit.status).filter((status) => status === 429)).toHaveLength(1)
    // The four first went out at once; nothing more until 30 s later.
    expect(tokens.filter((hit) => hit.at < start + 30_000)).toHaveLength(4)
    expect(tokens.filter((hit) => hit.status === 200)).toHaveLength(8)
  })
})
