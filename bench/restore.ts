// A restore of a 10,000-library backup on a new machine, against the Apicbase sandbox on this computer (issue 17,
// session 9): every pair is one this machine cannot judge from its own records, so each is read once at the API with
// its backed-up access token (never a refresh token: the sandbox counts token requests, which must stay 0), then the
// 10,000 records are written. Measured end to end as a person runs it: `larder restore FILE` (the built command, the
// passphrase from LARDER_BACKUP_PASSPHRASE) against `larder agent` on a fresh passphrase vault, the sandbox in this
// process. Figures: the command's wall time, the restore's own time in the agent, the progress lines the command got
// and the longest silence between two (the command gives up only after 150 s of silence: src/main/endpoint/client.ts).
//   node bench/restore.ts [--libraries=N] [--log-n=N]
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { writeBackupFile } from '../src/main/core/estate/backup/backup-file.ts'
import type { BackupDocument } from '../src/main/core/estate/backup/document.ts'
import { sandboxLibraryRecord } from '../test/support/sandbox-records.ts'
import { killStragglers, startAgent, startWorld } from '../test/support/terminal-harness.ts'
import { round } from './measure.ts'

const PASSPHRASE = 'a backup passphrase of words'

export interface RestoreBenchResult {
  readonly libraries: number
  /** `larder restore FILE` from start to exit, ms. */
  readonly commandMs: number
  readonly exitCode: number | null
  /** The longest the command heard nothing from Larder while the restore ran, ms. */
  readonly longestSilenceMs: number
  /** The line that ended that silence. */
  readonly longestSilenceEndedBy: string
  readonly progressLines: number
  readonly outcomes: Readonly<Record<string, number>>
  /** Requests at the sandbox during the restore: reads with access tokens, and token requests (must be 0). */
  readonly reads: number
  readonly tokenRequests: number
}

export async function runRestoreBench(libraries: number, logN: number): Promise<RestoreBenchResult> {
  const world = await startWorld({ libraries: [] })
  let agent: Awaited<ReturnType<typeof startAgent>> | null = null
  try {
    const now = Date.now()
    const records = Array.from({ length: libraries }, (_, index) =>
      sandboxLibraryRecord(world.sandbox.addLibraryWithApplication({ name: `Customer ${index + 1}` }), { id: randomUUID(), apiBaseUrl: world.sandbox.url, issuedAt: now })
    )
    const document: BackupDocument = { format: 'larder-backup', version: 1, createdAt: now, source: { machine: 'old-desk' }, move: null, libraries: records, entries: [], keys: [], settings: {} }
    const file = path.join(world.root, 'estate.age')
    await writeBackupFile(file, document, PASSPHRASE, logN)
    agent = await startAgent(world)
    const before = world.sandbox.counters.hits.length

    const started = performance.now()
    const env: NodeJS.ProcessEnv = { ...process.env, LARDER_BACKUP_PASSPHRASE: PASSPHRASE }
    delete env['LARDER_DATA_DIR']
    const child = spawn(process.execPath, [world.cli, 'restore', file, '--json', '--data-dir', world.dataDir], { stdio: ['ignore', 'pipe', 'pipe'], env })
    let stdout = ''
    let lines = 0
    let heardAt = started
    let longestSilence = 0
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => void (stdout += chunk))
    let silenceBefore = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const at = performance.now()
      if (at - heardAt > longestSilence) silenceBefore = chunk.trim().split('\n')[0] ?? ''
      longestSilence = Math.max(longestSilence, at - heardAt)
      heardAt = at
      lines += chunk.split('\n').filter((line) => line.startsWith('Restoring:')).length
      process.stderr.write(chunk)
    })
    const exitCode = await new Promise<number | null>((resolve) => child.once('close', resolve))
    const commandMs = performance.now() - started
    if (performance.now() - heardAt > longestSilence) silenceBefore = '(the answer)'
    longestSilence = Math.max(longestSilence, performance.now() - heardAt)

    const hits = world.sandbox.counters.hits.slice(before)
    const report = JSON.parse(stdout) as { counts: Record<string, number> }
    return {
      libraries,
      commandMs: round(commandMs, 0),
      exitCode,
      longestSilenceMs: round(longestSilence, 0),
      longestSilenceEndedBy: silenceBefore,
      progressLines: lines,
      outcomes: Object.fromEntries(Object.entries(report.counts).filter(([, n]) => n > 0)),
      reads: hits.filter((hit) => hit.route !== 'token').length,
      tokenRequests: hits.filter((hit) => hit.route === 'token').length
    }
  } finally {
    await agent?.stop()
    killStragglers()
    await world.close()
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { libraries: { type: 'string' }, 'log-n': { type: 'string' } } })
  const result = await runRestoreBench(Number(values.libraries ?? 10_000), Number(values['log-n'] ?? 18))
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
}
