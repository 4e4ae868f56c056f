// `larder import` with real processes: the built client on a real agent's endpoint, the Apicbase sandbox and the
// other systems' fakes on loopback. The command sends the file's absolute path (never its contents) and prints a table
// and a summary; --dry-run sends and stores nothing; the import adds libraries and keys as a hand add would; exit 0 when
// every row went in, 11 when some did not, 12 when the file cannot be imported at all. Ctrl-C (SIGINT) asks Larder to
// cancel the import it runs (rows not started are never sent), prints its report and exits 13; a second Ctrl-C exits
// 130 at once, and Larder still cancels.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProviderSandbox, type ProviderSandbox } from '../../../src/main/sandbox/providers/index.ts'
import { EXIT_CODES } from '../../../src/shared/terminal-words.ts'
import type { LibraryCredentials } from '../../sandbox/index.ts'
import { auditEntries, killStragglers, larder, startAgent, startWorld, type AgentProcess, type TerminalWorld } from '../../support/terminal-harness.ts'

let fakes: ProviderSandbox
let world: TerminalWorld
let agent: AgentProcess

beforeAll(async () => {
  fakes = await startProviderSandbox()
  world = await startWorld({ libraries: [{ name: 'Brasserie Nord' }] })
  agent = await startAgent(world)
}, 60_000)
afterAll(async () => {
  await agent?.stop()
  killStragglers()
  await world?.close()
  await fakes?.close()
})

const HEADER = 'name,system,token type,client id,client secret,access token,refresh token,api base url,token,kind,organisation,owner'

function libraryLine(name: string, pair: LibraryCredentials, refreshToken = pair.refreshToken): string {
  return [name, 'apicbase', pair.tokenType, pair.clientId, pair.clientSecret, pair.accessToken, refreshToken, world.sandbox.url, '', '', '', ''].join(',')
}

function safetyCultureLine(name: string): { line: string; token: string } {
  const org = fakes.safetyCulture.addOrganisation({ name: `${name} Group` })
  const user = fakes.safetyCulture.addUser({ organisationId: org.id, firstname: 'Pat', lastname: 'Jansen' })
  const token = fakes.safetyCulture.issueUserToken(user.id).value
  return { line: [name, 'SafetyCulture', '', '', '', '', '', fakes.safetyCulture.url, token, 'user', `${name} Group`, 'Pat Jansen'].join(','), token }
}

function writeFile(name: string, text: string): string {
  const file = path.join(world.root, name)
  fs.writeFileSync(file, text, { mode: 0o600 })
  return file
}

const tokenHits = (): number => world.sandbox.counters.hits.filter((hit) => hit.route === 'token').length

/** Rows enough to still be running when Ctrl-C comes: each token request waits `latencyMs` at the sandbox. */
function slowImport(stem: string, rows: number, latencyMs: number): { file: string; made: LibraryCredentials[]; fault: string } {
  const made = Array.from({ length: rows }, (_, i) => world.sandbox.addLibraryWithApplication({ name: `${stem} ${i + 1}` }))
  const file = writeFile(`${stem.toLowerCase()}.csv`, `${[HEADER, ...made.map((pair) => libraryLine(pair.name, pair))].join('\n')}\n`)
  return { file, made, fault: world.sandbox.faults.inject({ route: 'token', kind: 'latency', ms: latencyMs }) }
}

/** Every request the sandbox saw for these libraries (by its library id or its token family). */
function requestsFor(pairs: readonly LibraryCredentials[]): number {
  const ids = new Set(pairs.map((pair) => pair.id))
  const families = new Set(pairs.map((pair) => pair.familyId))
  return world.sandbox.counters.hits.filter((hit) => (hit.libraryId !== null && ids.has(hit.libraryId)) || (hit.familyId !== null && families.has(hit.familyId))).length
}

describe('larder import', () => {
  it('--dry-run prints every row with what is wrong and sends nothing; the import adds the good rows; exit 11 for the rest', async () => {
    const grill = world.sandbox.addLibraryWithApplication({ name: 'Grill Haven' })
    const oost = world.sandbox.addLibraryWithApplication({ name: 'Trattoria Oost' })
    const key = safetyCultureLine('Haven Inspections')
    const file = writeFile(
      'estate.csv',
      `${[HEADER, libraryLine('Grill Haven', grill), libraryLine('Trattoria Oost', oost), libraryLine('Trattoria Oost twice', oost), libraryLine('No refresh', grill, ''), key.line].join('\r\n')}\r\n`
    )
    const secrets = [grill.clientSecret, grill.accessToken, grill.refreshToken, oost.clientSecret, oost.accessToken, oost.refreshToken, key.token]
    const hits = world.sandbox.counters.hits.length

    const checked = await larder(world, ['import', file, '--dry-run']).done
    expect(checked.code).toBe(EXIT_CODES.importIncomplete)
    const table = checked.stdout.split('\n')
    expect(table[0]).toMatch(/^ROW\s+NAME\s+STATUS\s+PROBLEM$/)
    expect(table.slice(1, 6)).toEqual([
      expect.stringMatching(/^1\s+Grill Haven\s+ready\s*$/),
      expect.stringMatching(/^2\s+Trattoria Oost\s+ready\s*$/),
      expect.stringMatching(/^3\s+Trattoria Oost twice\s+duplicate\s+Row 2 has the same refresh token/),
      expect.stringMatching(/^4\s+No refresh\s+problem\s+The refresh token is missing\.$/),
      expect.stringMatching(/^5\s+Haven Inspections\s+ready\s*$/)
    ])
    expect(checked.stdout).toContain('Checked (nothing sent, nothing stored): estate.csv, 5 rows: 3 ready, 1 duplicate, 1 problem.')
    expect(world.sandbox.counters.hits.length).toBe(hits)

    // The same as JSON, with a relative path (the command resolves it; the app reads the absolute one).
    const json = await larder(world, ['import', path.relative(process.cwd(), file), '--dry-run', '--json']).done
    expect(json.code).toBe(EXIT_CODES.importIncomplete)
    const report = JSON.parse(json.stdout) as { fileName: string; dryRun: boolean; rows: { status: string; system: string }[] }
    expect(report).toMatchObject({ fileName: 'estate.csv', dryRun: true })
    expect(report.rows.map((row) => `${row.system} ${row.status}`)).toEqual(['apicbase ready', 'apicbase ready', 'apicbase duplicate', 'apicbase problem', 'safetyculture ready'])

    const tokens = tokenHits()
    const imported = await larder(world, ['import', file]).done
    expect(imported.code).toBe(EXIT_CODES.importIncomplete)
    expect(imported.stdout).toMatch(/^1\s+Grill Haven\s+imported\s*$/m)
    expect(imported.stdout).toMatch(/^5\s+Haven Inspections\s+imported\s*$/m)
    expect(imported.stdout).toContain('Imported: estate.csv, 5 rows: 3 imported, 1 duplicate, 1 problem.')
    expect(imported.stderr).toMatch(/Importing: 3 of 3 rows done \(3 imported, 0 failed\)/)
    // Two Apicbase rows were sent, once each (the twice-listed token once).
    expect(tokenHits() - tokens).toBe(2)

    const listed = await larder(world, ['ls', '--json']).done
    const names = (JSON.parse(listed.stdout) as { name: string; provider: string }[]).map((row) => `${row.provider} ${row.name}`).sort()
    expect(names).toEqual(['apicbase Brasserie Nord', 'apicbase Grill Haven', 'apicbase Trattoria Oost', 'safetyculture Haven Inspections'])
    const imports = auditEntries(world.dataDir).filter((entry) => entry.action === 'imported')
    expect(imports.map((entry) => entry.detail)).toEqual(expect.arrayContaining(['imported from estate.csv, row 1', 'imported from estate.csv, row 5', 'estate.csv: 5 rows: 3 imported, 1 duplicate, 1 with problems']))
    const printed = [checked, json, imported].map((end) => end.stdout + end.stderr).join('\n') + fs.readFileSync(path.join(world.dataDir, 'audit.jsonl'), 'utf8')
    for (const secret of secrets) expect(printed).not.toContain(secret)
  }, 60_000)

  it('exits 0 when every row went in', async () => {
    const bistro = world.sandbox.addLibraryWithApplication({ name: 'Bistro Zuid' })
    const file = writeFile('one.csv', `${HEADER}\n${libraryLine('Bistro Zuid', bistro)}\n`)
    expect((await larder(world, ['import', file, '--dry-run']).done).code).toBe(EXIT_CODES.ok)
    const end = await larder(world, ['import', file]).done
    expect(end).toMatchObject({ code: EXIT_CODES.ok })
    expect(end.stdout).toContain('Imported: one.csv, 1 row: 1 imported.')
  }, 30_000)

  it('Ctrl-C cancels the import Larder runs: rows not started are never sent, the report says so, exit 13', async () => {
    const { file, made, fault } = slowImport('Interrupted', 12, 2_500)
    try {
      const running = larder(world, ['import', file])
      await running.waitFor('Importing: 0 of 12 rows done')
      running.child.kill('SIGINT')
      const end = await running.done
      expect(end).toMatchObject({ code: EXIT_CODES.importCancelled, signal: null })
      expect(end.stderr).toContain('Cancelling the import')
      const byName = new Map(made.map((pair) => [pair.name, pair]))
      const rows = [...end.stdout.matchAll(/^\d+\s+(Interrupted \d+)\s+(imported|cancelled)\b/gm)].map((match) => ({ name: match[1] as string, status: match[2] as string }))
      expect(rows).toHaveLength(12)
      const cancelled = rows.filter((row) => row.status === 'cancelled').map((row) => byName.get(row.name) as LibraryCredentials)
      const imported = rows.filter((row) => row.status === 'imported').map((row) => byName.get(row.name) as LibraryCredentials)
      // Four rows go at a time: those in flight finish; the rest never start.
      expect(imported.length).toBeGreaterThan(0)
      expect(cancelled.length).toBeGreaterThanOrEqual(4)
      expect(end.stdout).toContain(`Imported: interrupted.csv, 12 rows: ${imported.length} imported, ${cancelled.length} cancelled.`)
      expect(end.stderr).toContain(`Cancelled: ${imported.length} rows imported before the cancel stay in Larder; ${cancelled.length} not started were not sent`)
      // Nothing was sent for a cancelled row; each imported one was sent once and is in Larder.
      expect(requestsFor(cancelled)).toBe(0)
      for (const pair of imported) expect(world.sandbox.counters.tokenRequestsByFamily(pair.familyId)).toBe(1)
      const listed = (JSON.parse((await larder(world, ['ls', '--json']).done).stdout) as { name: string }[]).map((row) => row.name).filter((name) => name.startsWith('Interrupted '))
      expect(listed.sort()).toEqual(imported.map((pair) => pair.name).sort())
      expect(auditEntries(world.dataDir).map((entry) => entry.detail)).toContain(`interrupted.csv: 12 rows: ${imported.length} imported, ${cancelled.length} cancelled (cancelled)`)
    } finally {
      world.sandbox.faults.clear(fault)
    }
    // The README says what Ctrl-C does and its exit codes.
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8')
    expect(readme).toMatch(/^\| 13 \| `larder import`: cancelled by Ctrl-C/m)
    expect(readme).toMatch(/^\| 130 \| .*second Ctrl-C/m)
    expect(readme).not.toContain('Interrupting the command (Ctrl-C) does not stop')
  }, 60_000)

  it('a second Ctrl-C exits 130 at once; Larder still cancels the rows not started', async () => {
    const { file, made, fault } = slowImport('Twice', 12, 4_000)
    try {
      const running = larder(world, ['import', file])
      await running.waitFor('Importing: 0 of 12 rows done')
      running.child.kill('SIGINT')
      await running.waitFor('Cancelling the import')
      running.child.kill('SIGINT')
      const end = await running.done
      expect(end).toMatchObject({ code: EXIT_CODES.interrupted, stdout: '' })
      expect(end.stderr).toContain('larder: stopped without waiting for Larder')
      // The app ends the import on its own: its summary says it was cancelled, and at most the four rows in flight went out.
      const summary = async (): Promise<string | undefined> => auditEntries(world.dataDir).map((entry) => entry.detail).find((detail) => detail?.startsWith('twice.csv: 12 rows:'))
      await expect.poll(summary, { timeout: 20_000 }).toMatch(/cancelled \(cancelled\)$/)
      expect(made.filter((pair) => requestsFor([pair]) > 0).length).toBeLessThanOrEqual(4)
    } finally {
      world.sandbox.faults.clear(fault)
    }
  }, 60_000)

  it('exits 12, saying why, for a file that cannot be imported; 2 for a wrong command line', async () => {
    const unknown = writeFile('unknown.csv', 'name,token,colour\nA,t,red\n')
    const refused = await larder(world, ['import', unknown, '--dry-run']).done
    expect(refused.code).toBe(EXIT_CODES.importRefused)
    expect(refused.stderr).toMatch(/^larder: Unknown column: "colour"\./)
    const missing = await larder(world, ['import', path.join(world.root, 'nothing-here.csv')]).done
    expect(missing).toMatchObject({ code: EXIT_CODES.importRefused, stderr: expect.stringMatching(/^larder: There is no file at /) })
    const folder = await larder(world, ['import', world.root]).done
    expect(folder).toMatchObject({ code: EXIT_CODES.importRefused, stderr: expect.stringMatching(/is not a regular file/) })
    expect((await larder(world, ['import']).done).code).toBe(EXIT_CODES.usage)
    expect((await larder(world, ['import', unknown, '--format', 'xml']).done).code).toBe(EXIT_CODES.usage)
  }, 30_000)
})
