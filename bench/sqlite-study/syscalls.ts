// fsync and fdatasync calls during one burst of each mode, counted by strace in a child process (the vault's own
// counters cannot see SQLite's). The child marks where each burst starts and ends with an open of a path that
// does not exist, so setting up and closing the store are not counted. strace slows the child: its timings are
// not reported, and its batching may differ a little from the main run's; the syscalls per batch are what to read.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Cipher } from '../../src/main/core/vault/cipher.ts'
import { BURST_MODES, burstSide, runBurst, type BurstMode } from './burst.ts'
import type { StoreKind } from './subjects.ts'

const MARKER_DIR = '/nonexistent-sqlite-study'

export interface SyscallCount {
  readonly kind: StoreKind
  readonly mode: BurstMode
  readonly rotations: number
  /** Durable batches in the traced run. */
  readonly batches: number
  readonly fsyncCalls: number
  /** The file vault's own count of fsyncs and O_DSYNC appends in the traced run (O_DSYNC writes are no fsync call). */
  readonly vaultSyncs: number | null
}

interface ChildReport {
  readonly mode: BurstMode
  readonly rotations: number
  readonly batches: number
  readonly vaultSyncs: number | null
}

function marker(mode: BurstMode, edge: 'start' | 'end'): string {
  return path.join(MARKER_DIR, `marker-${mode}-${edge}`)
}

function mark(mode: BurstMode, edge: 'start' | 'end'): void {
  try {
    fs.closeSync(fs.openSync(marker(mode, edge), 'r'))
  } catch {
    // It is not there; the attempt is the mark.
  }
}

/** Child side: one burst per mode on a fresh store, marked; prints one JSON line per mode. */
export async function runBurstChild(kind: StoreKind, cipher: Cipher, libraries: number): Promise<void> {
  const side = await burstSide(kind, cipher, libraries)
  for (const mode of BURST_MODES) {
    mark(mode, 'start')
    const run = await runBurst(side, mode)
    mark(mode, 'end')
    const report: ChildReport = { mode, rotations: run.waits.length, batches: run.batches, vaultSyncs: run.syncs }
    process.stdout.write(`${JSON.stringify(report)}\n`)
  }
  await side.subject.store.close()
}

export function straceAvailable(): boolean {
  return spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0
}

/** Parent side: runs the child under strace and counts fsync/fdatasync between each mode's marks. */
export function countSyscalls(kind: StoreKind, libraries: number): SyscallCount[] {
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-study-strace-')), 'trace.log')
  const script = fileURLToPath(new URL('./compare.ts', import.meta.url))
  const child = spawnSync(
    'strace',
    ['-f', '-qq', '-e', 'trace=fsync,fdatasync,openat', '-o', log, process.execPath, script, `--burst-child=${kind}`, `--libraries=${libraries}`],
    { encoding: 'utf8', timeout: 180_000, maxBuffer: 16 * 1024 * 1024 }
  )
  try {
    if (child.status !== 0) throw new Error(`the traced burst of ${kind} failed: ${child.stderr.slice(-2000)}`)
    const reports = child.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as ChildReport)
    const lines = fs.readFileSync(log, 'utf8').split('\n')
    return reports.map((report) => ({
      kind,
      mode: report.mode,
      rotations: report.rotations,
      batches: report.batches,
      fsyncCalls: countBetween(lines, marker(report.mode, 'start'), marker(report.mode, 'end')),
      vaultSyncs: report.vaultSyncs
    }))
  } finally {
    fs.rmSync(path.dirname(log), { recursive: true, force: true })
  }
}

function countBetween(lines: readonly string[], start: string, end: string): number {
  let inside = false
  let calls = 0
  for (const line of lines) {
    if (line.includes(start)) inside = true
    else if (line.includes(end)) inside = false
    // A call split across threads shows as "<unfinished ...>" then "resumed": count its first half only.
    else if (inside && /\b(fsync|fdatasync)\(/.test(line) && !line.includes('resumed')) calls++
  }
  return calls
}
