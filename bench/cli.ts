// Benchmark 9: `larder token LIB` end to end, as a script runs it: a new Node process runs the built command, which
// asks the running agent over the data folder's endpoint for a fresh token and prints it. Against `node -e 0` measured
// in the same run, one after the other in each round (a noisy moment lands on both). Goal: ratio ≤ 2 (the command's
// path loads nothing it does not need). The token itself is never printed or kept.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { build } from 'rolldown'
import { cliBuildOptions } from '../rolldown.cli.config.ts'
import { assembleCore, DEV_PASSPHRASE } from '../test/browser-host/assemble.ts'
import { sandboxLibraryRecord } from '../test/support/sandbox-records.ts'
import { goal, median, percentile, round, type Goal } from './measure.ts'
import { startSandboxThread } from './remote-sandbox.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const FAST_SCRYPT = { N: 1024, r: 8, p: 1 } as const
export const CLI_GOAL_RATIO = 2

export interface CliBenchResult {
  readonly rounds: number
  /** `node larder.js token LIB`, wall, ms. */
  readonly commandMedianMs: number
  readonly commandP95Ms: number
  /** `node -e 0`, wall, ms. */
  readonly nodeMedianMs: number
  readonly ratio: number
  /** The built command's size. */
  readonly bundleBytes: number
  readonly goals: readonly Goal[]
}

export interface CliBenchOptions {
  readonly rounds?: number
  readonly warmUps?: number
  readonly log?: (line: string) => void
}

function timed(file: string, args: readonly string[]): Promise<{ ms: number; stdout: string }> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${path.basename(args[0] ?? file)} failed (${error.code ?? 'signal'}): ${stderr.trim()}`))
      else resolve({ ms: performance.now() - started, stdout })
    })
  })
}

function agentReady(agent: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let said = ''
    agent.stderr?.on('data', (chunk: Buffer) => {
      said += chunk.toString()
      if (said.includes('Larder agent ready')) resolve()
    })
    agent.once('exit', (code) => reject(new Error(`the agent exited (${code}): ${said.trim()}`)))
  })
}

export async function runCliBench(options: CliBenchOptions = {}): Promise<CliBenchResult> {
  const rounds = options.rounds ?? 30
  const warmUps = options.warmUps ?? 3
  const log = options.log ?? (() => undefined)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-bench-cli-'))
  const sandbox = await startSandboxThread({ rateLimitPerMinute: false })
  let agent: ChildProcess | null = null
  try {
    // A passphrase vault with one fresh library (nothing to refresh: the figure is the command's path).
    const assembled = await assembleCore({ dataDir: path.join(dir, 'data'), sandboxUrl: sandbox.url, scryptCost: FAST_SCRYPT })
    const [credentials] = await sandbox.addLibraries(1, 'Bench')
    if (!credentials) throw new Error('the sandbox made no library')
    const record = sandboxLibraryRecord(credentials, { id: randomUUID(), apiBaseUrl: sandbox.url, issuedAt: Date.now() })
    await assembled.core.vault.add(record.meta, record.secrets)
    await assembled.close()
    const passphraseFile = path.join(dir, 'passphrase')
    fs.writeFileSync(passphraseFile, `${DEV_PASSPHRASE}\n`, { mode: 0o600 })

    const outDir = path.join(dir, 'cli')
    await build({ ...cliBuildOptions, cwd: ROOT, output: { ...cliBuildOptions.output, dir: outDir } })
    const command = path.join(outDir, 'larder.js')
    const bundleBytes = fs.statSync(command).size

    agent = spawn(process.execPath, [path.join(ROOT, 'bin/larder.js'), 'agent', '--data-dir', path.join(dir, 'data'), '--passphrase-file', passphraseFile], {
      stdio: ['ignore', 'ignore', 'pipe']
    })
    await agentReady(agent)
    log(`cli: the agent is up; ${warmUps} warm-ups, then ${rounds} rounds of node -e 0 and larder token`)
    const args = [command, 'token', credentials.name, '--data-dir', path.join(dir, 'data')]
    const nodeMs: number[] = []
    const commandMs: number[] = []
    for (let i = 0; i < warmUps + rounds; i++) {
      const bare = await timed(process.execPath, ['-e', '0'])
      const asked = await timed(process.execPath, args)
      if (asked.stdout.trim().length < 20) throw new Error('larder token printed no token')
      if (i < warmUps) continue
      nodeMs.push(bare.ms)
      commandMs.push(asked.ms)
    }
    const commandMedianMs = round(median(commandMs), 1)
    const nodeMedianMs = round(median(nodeMs), 1)
    const ratio = round(commandMedianMs / nodeMedianMs, 2)
    return {
      rounds,
      commandMedianMs,
      commandP95Ms: round(percentile(commandMs, 95), 1),
      nodeMedianMs,
      ratio,
      bundleBytes,
      goals: [goal('cli.ratio', '`larder token LIB` end to end ÷ `node -e 0`, median', ratio, CLI_GOAL_RATIO, '×')]
    }
  } finally {
    if (agent && agent.exitCode === null) {
      const exited = new Promise((resolve) => agent?.once('exit', resolve))
      agent.kill('SIGTERM')
      await exited
    }
    await sandbox.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

export function formatCliResult(result: CliBenchResult): string[][] {
  return [
    [
      '9',
      `larder token LIB end to end (a new process, the agent answering over its socket), median of ${result.rounds}`,
      `${result.commandMedianMs} ms`,
      `${result.nodeMedianMs} ms node -e 0`,
      `${result.ratio.toFixed(2)}×`,
      `≤ ${CLI_GOAL_RATIO}×`,
      result.goals.every((g) => g.met) ? 'met' : 'MISSED'
    ],
    ['', '  p95; the built command', `${result.commandP95Ms} ms; ${(result.bundleBytes / 1024).toFixed(0)} kB`, '', '', '', '']
  ]
}

if (import.meta.main) {
  const result = await runCliBench({ log: (line) => process.stderr.write(`${line}\n`) })
  for (const row of formatCliResult(result)) process.stdout.write(`${row.filter((cell) => cell !== '').join('  ')}\n`)
}
