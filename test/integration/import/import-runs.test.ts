// What the app keeps between a dry run and its import, and what closing the app does to an import under way: a check
// is kept 30 minutes and imported once; the app closing cancels the rows not started and waits for those in flight,
// whose pairs are durable before the vault closes. `larder import`'s Ctrl-C ('import-cancel') cancels only an import its
// own terminal session started, and one asked for before the import began stops it from sending anything.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { TerminalResult } from '../../../src/shared/terminal-words.ts'
import type { LibraryCredentials } from '../../sandbox/index.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'

let h: LarderHarness
afterEach(async () => {
  await h?.close()
})

function writeCsv(libraries: readonly LibraryCredentials[]): string {
  const file = path.join(h.dir, 'estate.csv')
  const lines = libraries.map((one) => [one.name, one.tokenType, one.clientId, one.clientSecret, one.accessToken, one.refreshToken, h.sandbox.url].join(','))
  fs.writeFileSync(file, ['name,token type,client id,client secret,access token,refresh token,api base url', ...lines].join('\n'), { mode: 0o600 })
  return file
}

const session = (name: string): { pid: number; ppid: number; session: string; tty: string; cwd: string; command: string } => ({ pid: 4242, ppid: 4100, session: `linux:sid=${name};tty=1;start=1`, tty: 'pts/3', cwd: '/home/pat', command: 'import' })
const unwrap = <T>(result: TerminalResult): T => {
  if (!result.ok) throw new Error(result.error.message)
  return result.value as T
}

describe("larder import's Ctrl-C at the app", () => {
  it('only the session that started an import cancels it; the rows not started are never sent', async () => {
    h = await startLarder()
    h.app.events.on('terminal.requested', (request) => void h.app.terminal.access.approve(request.requestId))
    const made = Array.from({ length: 10 }, (_, i) => h.sandbox.addLibraryWithApplication({ name: `Terminal ${i + 1}` }))
    const file = writeCsv(made)
    h.sandbox.faults.inject({ route: 'token', kind: 'latency', ms: 300 })
    const importId = '5a0c6b44-8f0e-4c1e-9a51-0d7f1d3c2b10'
    const { handlers } = h.app.terminal
    let started!: () => void
    const running = new Promise<void>((resolve) => (started = resolve))
    const answer = handlers.import({ path: file, dryRun: false, confirmedHosts: [], importId }, session('pat'), (line) => (line.startsWith('Importing:') ? started() : undefined))
    await running
    const other = await handlers['import-cancel']({ importId }, session('sam'), () => undefined)
    expect(other).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'importId', message: 'No import of that name was started from this terminal session.' } })
    expect(unwrap(await handlers['import-cancel']({ importId }, session('pat'), () => undefined))).toEqual({ outcome: 'cancelling' })
    const report = unwrap<{ cancelled: boolean; counts: { imported: number; cancelled: number }; rows: { name: string; status: string }[] }>(await answer)
    expect(report.cancelled).toBe(true)
    expect(report.counts.imported + report.counts.cancelled).toBe(10)
    expect(report.counts.cancelled).toBeGreaterThan(0)
    const byName = new Map(made.map((pair) => [pair.name, pair]))
    for (const row of report.rows.filter((one) => one.status === 'cancelled')) {
      expect(h.sandbox.counters.tokenRequestsByFamily((byName.get(row.name) as LibraryCredentials).familyId)).toBe(0)
    }
    // Once it has ended, a late Ctrl-C hears so.
    expect(unwrap(await handlers['import-cancel']({ importId }, session('pat'), () => undefined))).toEqual({ outcome: 'finished' })
  })

  it('a cancel that came while the approval was still asked: the import starts cancelled and sends nothing', async () => {
    h = await startLarder()
    const made = Array.from({ length: 3 }, (_, i) => h.sandbox.addLibraryWithApplication({ name: `Early ${i + 1}` }))
    const importId = '0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b'
    const { handlers, access } = h.app.terminal
    const answer = handlers.import({ path: writeCsv(made), dryRun: false, confirmedHosts: [], importId }, session('pat'), () => undefined)
    const cancel = handlers['import-cancel']({ importId }, session('pat'), () => undefined)
    await h.nextTurn()
    const [request] = access.list().pending
    access.approve((request as { requestId: string }).requestId)
    expect(unwrap(await cancel)).toEqual({ outcome: 'not_started' })
    const report = unwrap<{ cancelled: boolean; counts: { imported: number; cancelled: number } }>(await answer)
    expect(report).toMatchObject({ cancelled: true, counts: { imported: 0, cancelled: 3 } })
    expect(h.sandbox.counters.hits.filter((hit) => hit.route === 'token')).toHaveLength(0)
  })
})

describe('imports the app keeps', () => {
  it('a check is kept for 30 minutes for its import, then forgotten', async () => {
    h = await startLarder()
    const file = writeCsv([h.sandbox.addLibraryWithApplication({ name: 'Late' })])
    const checked = await h.handlers['import.dryRun']({ path: file })
    if (!checked.ok) throw new Error(checked.error.message)
    await h.advance(31 * 60_000)
    const late = await h.handlers['import.start']({ importId: checked.value.importId })
    expect(late).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'importId', message: expect.stringMatching(/over 30 minutes old/) } })
    expect(h.sandbox.counters.hits.filter((hit) => hit.route === 'token')).toHaveLength(0)
  })

  it('closing the app cancels the rows not started and lets those in flight finish before the vault closes', async () => {
    h = await startLarder()
    const made = Array.from({ length: 10 }, (_, i) => h.sandbox.addLibraryWithApplication({ name: `Closing ${i + 1}` }))
    const checked = await h.handlers['import.dryRun']({ path: writeCsv(made) })
    if (!checked.ok) throw new Error(checked.error.message)
    h.sandbox.faults.inject({ route: 'token', kind: 'latency', ms: 150 })
    let closing: Promise<void> | null = null
    h.app.events.on('import.progress', (progress) => {
      if (progress.done === 1 && closing === null) closing = h.app.close()
    })
    const result = await h.handlers['import.start']({ importId: checked.value.importId })
    await closing
    if (!result.ok) throw new Error(result.error.message)
    expect(result.value.cancelled).toBe(true)
    expect(result.value.counts).toMatchObject({ imported: 4, cancelled: 6 })
    // What went out is what was imported; the vault closed after the four pairs were written.
    expect(h.sandbox.counters.hits.filter((hit) => hit.route === 'token')).toHaveLength(4)
    const vault = fs.readFileSync(h.vaultPath, 'utf8') + (fs.existsSync(`${h.vaultPath}.journal`) ? fs.readFileSync(`${h.vaultPath}.journal`, 'utf8') : '')
    for (const row of result.value.rows.filter((one) => one.status === 'imported')) expect(vault).toContain(row.id ?? 'no id')
  })
})
