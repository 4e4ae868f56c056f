// Benchmark 10: the bulk import's dry run of a 10,000-row CSV (issue 17: under a second of work per 1,000 rows), on a
// vault already holding 1,000 libraries, 100 of them connected applications through one partner's client ID (so the
// check of pairs Larder holds decrypts theirs). The rows are shaped like the sandbox's: service accounts with their
// own application, connected applications through the partner's, keys of SafetyCulture and Airtable; about 1 in 25
// is wrong in some way (a field missing, a token repeated, a spent token, a client ID Larder holds, a host to
// confirm). Against csv-parse alone on the same text, measured in the same rounds. Nothing is sent: the dry run is
// what is measured, and the API base URL is the sandbox's address on this computer (nothing listens there).
//   node bench/import-dry-run.ts [--rows=N] [--rounds=N]
import { randomBytes, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import { performance } from 'node:perf_hooks'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { dryRunImport } from '../src/main/app/use-cases/import-estate.ts'
import { openAuditLog } from '../src/main/core/audit/index.ts'
import { LarderCore } from '../src/main/core/larder-core.ts'
import { addAll, benchCipher, openBenchVault, syntheticRecord, tempDir } from './fixtures.ts'
import { goal, median, round, type Goal } from './measure.ts'

export const IMPORT_GOAL_MS_PER_1000 = 1000
const SANDBOX = 'http://127.0.0.1:9'
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

export interface ImportBenchResult {
  readonly rows: number
  readonly heldLibraries: number
  readonly rounds: number
  /** The dry run, wall and CPU (this process), median of the rounds. */
  readonly dryRunMs: number
  readonly dryRunCpuMs: number
  /** csv-parse alone on the same text (the baseline). */
  readonly parseMs: number
  /** Work per 1,000 rows: the larger of wall and CPU time, so neither a loaded machine nor idle waits hide it. */
  readonly msPer1000: number
  readonly statuses: Readonly<Record<string, number>>
  readonly goals: readonly Goal[]
}

function token(length: number): string {
  let out = ''
  for (const byte of randomBytes(length)) out += ALPHANUMERIC[byte % 62]
  return out
}

const HEADER = 'name,system,token type,client id,client secret,access token,refresh token,api base url,customer,token,kind,organisation,owner,scopes'

/** One CSV line per row, like a partner's export; `held` supplies client IDs and spent tokens Larder already has. */
function makeCsv(rows: number, held: { clientIds: readonly string[]; spent: readonly string[]; partnerClientId: string }): string {
  const lines = [HEADER]
  let previousRefresh = token(30)
  for (let i = 0; i < rows; i++) {
    const name = `Customer ${i + 1}, Brasserie ${i % 97}`
    const quoted = `"${name}"`
    const customer = `Group ${i % 300}`
    const kind = i % 20
    if (kind === 0) {
      lines.push([quoted, 'safetyculture', '', '', '', '', '', 'https://api.safetyculture.io', customer, token(64), 'user', `${customer} BV`, 'Pat Jansen', ''].join(','))
      continue
    }
    if (kind === 1) {
      lines.push([quoted, 'airtable', '', '', '', '', '', '', customer, `pat${token(14)}.${token(64)}`, '', '', '', 'data.records:read schema.bases:read'].join(','))
      continue
    }
    const connected = kind < 5
    const clientId = connected ? held.partnerClientId : i % 100 === 7 ? (held.clientIds[i % held.clientIds.length] as string) : token(40)
    let refreshToken = token(30)
    if (i % 100 === 11) refreshToken = previousRefresh // the row before's token again
    if (i % 100 === 13) refreshToken = held.spent[i % held.spent.length] as string
    previousRefresh = refreshToken
    const secret = i % 100 === 17 ? '' : token(128)
    const base = i % 100 === 19 ? 'https://api.partner-proxy.example' : SANDBOX
    lines.push([quoted, 'apicbase', connected ? 'connected_application' : 'service_account', clientId, secret, token(30), refreshToken, base, customer, '', '', '', '', ''].join(','))
  }
  return `${lines.join('\r\n')}\r\n`
}

export async function runImportBench(options: { rows?: number; rounds?: number; log?: (line: string) => void } = {}): Promise<ImportBenchResult> {
  const rows = options.rows ?? 10_000
  const rounds = options.rounds ?? 3
  const dir = tempDir('import-bench')
  const vault = await openBenchVault(dir, await benchCipher(), 'tuned')
  const now = Date.now()
  const partnerClientId = token(40)
  const records = Array.from({ length: 1_000 }, (_, i) => {
    const record = syntheticRecord(i, now)
    return i % 10 === 0 ? { ...record, meta: { ...record.meta, tokenType: 'connected_application' as const, clientId: partnerClientId } } : record
  })
  await addAll(vault, records)
  // Refresh tokens Larder spent (as adding checks a pasted pair): the rows that repeat one must say so.
  const spent = Array.from({ length: 50 }, () => token(30))
  await Promise.all(spent.map((consumed, i) => vault.add({ ...syntheticRecord(2_000 + i, now).meta, id: randomUUID() }, syntheticRecord(2_000 + i, now).secrets, { consumedRefreshToken: consumed })))
  const audit = await openAuditLog({ path: path.join(dir, 'audit.jsonl') })
  // Not started: no timer, no refresh; the dry run only reads the vault.
  const core = new LarderCore({ vault, audit })
  const text = makeCsv(rows, { clientIds: records.filter((r) => r.meta.tokenType === 'service_account').map((r) => r.meta.clientId), spent, partnerClientId })
  const walls: number[] = []
  const cpus: number[] = []
  const parses: number[] = []
  let statuses: Record<string, number> = {}
  try {
    for (let round = 0; round < rounds; round++) {
      const parseStart = performance.now()
      parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_empty_values: true, info: true })
      parses.push(performance.now() - parseStart)
      const cpu = process.cpuUsage()
      const start = performance.now()
      const report = await dryRunImport(core, { text, fileName: 'estate.csv' })
      walls.push(performance.now() - start)
      const used = process.cpuUsage(cpu)
      cpus.push((used.user + used.system) / 1000)
      statuses = Object.fromEntries(Object.entries(report.counts).filter(([key, count]) => key !== 'total' && count > 0))
      options.log?.(`import dry run ${round + 1}/${rounds}: ${round2(walls.at(-1) ?? 0)} ms wall, ${round2(cpus.at(-1) ?? 0)} ms CPU`)
    }
  } finally {
    await core.close()
    // Only this part's folder: the other parts of a run keep theirs until the run ends.
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const dryRunMs = median(walls)
  const dryRunCpuMs = median(cpus)
  const msPer1000 = (Math.max(dryRunMs, dryRunCpuMs) / rows) * 1000
  return {
    rows,
    heldLibraries: records.length + spent.length,
    rounds,
    dryRunMs: round(dryRunMs),
    dryRunCpuMs: round(dryRunCpuMs),
    parseMs: round(median(parses)),
    msPer1000: round(msPer1000),
    statuses,
    goals: [goal('import.dryRun', 'import dry run, work per 1,000 rows', msPer1000, IMPORT_GOAL_MS_PER_1000, 'ms')]
  }
}

function round2(value: number): number {
  return Math.round(value * 10) / 10
}

export function formatImportResult(result: ImportBenchResult): string[][] {
  return [
    [
      '10',
      `import dry run of a ${result.rows.toLocaleString('en')}-row CSV, vault of ${result.heldLibraries.toLocaleString('en')} libraries, work per 1,000 rows (median of ${result.rounds})`,
      `${result.msPer1000} ms`,
      `${round2((result.parseMs / result.rows) * 1000)} ms csv-parse alone`,
      `${(result.dryRunMs / result.parseMs).toFixed(1)}×`,
      `≤ ${IMPORT_GOAL_MS_PER_1000} ms`,
      result.goals.every((g) => g.met) ? 'met' : 'MISSED'
    ],
    ['', `  the whole dry run: wall / CPU; rows by status: ${Object.entries(result.statuses).map(([status, count]) => `${count} ${status}`).join(', ')}`, `${result.dryRunMs} / ${result.dryRunCpuMs} ms`, '', '', '', '']
  ]
}

if (import.meta.main) {
  const arg = (name: string): number | undefined => {
    const found = process.argv.find((one) => one.startsWith(`--${name}=`))
    return found === undefined ? undefined : Number(found.split('=')[1])
  }
  const rows = arg('rows')
  const rounds = arg('rounds')
  const result = await runImportBench({ ...(rows === undefined ? {} : { rows }), ...(rounds === undefined ? {} : { rounds }), log: (line) => process.stderr.write(`${line}\n`) })
  for (const row of formatImportResult(result)) process.stdout.write(`${row.filter((cell) => cell !== '').join('  ')}\n`)
}
