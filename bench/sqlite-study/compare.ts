// The current vault against the SQLite prototype, in one run:
//   (a) a rotation burst of N libraries (default 1,000): every commitRotation at once, and 16 at a time with the
//       engine's secrets() read before each; total time, each rotation until durable (p50/p95/max), durable
//       batches, fsync-ish writes (the vault's own count; strace's count of fsync/fdatasync in a traced child),
//       and the time the event loop spent blocked in synchronous writes;
//   (b) opening a 5,000-library store until every status is known (median);
//   (c) the heap with that store open and listed.
// Usage: node --expose-gc bench/sqlite-study/compare.ts [--libraries=1000] [--open-libraries=5000] [--rounds=3]
//        [--runs=7] [--no-strace] [--json]
import { DatabaseSync } from 'node:sqlite'
import { benchCipher, removeTemps } from '../fixtures.ts'
import { round } from '../measure.ts'
import { BURST_MODES, burstFigures, burstSide, runBurst, verifySide, type BurstFigures, type BurstMode, type BurstRun, type BurstSide } from './burst.ts'
import { measureOpen, writeLargeStores, type OpenFigures } from './open-heap.ts'
import { STORE_KINDS, STORE_LABELS, type StoreKind } from './subjects.ts'
import { countSyscalls, runBurstChild, straceAvailable, type SyscallCount } from './syscalls.ts'

interface Options {
  readonly libraries: number
  readonly openLibraries: number
  readonly rounds: number
  readonly runs: number
  readonly strace: boolean
  readonly json: boolean
  readonly burstChild: StoreKind | null
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3)
  const count = (name: string, fallback: number): number => {
    const raw = value(name)
    const parsed = raw === undefined ? fallback : Number(raw)
    if (!Number.isInteger(parsed) || parsed < 1) throw new RangeError(`--${name} must be a whole number ≥ 1`)
    return parsed
  }
  const child = value('burst-child')
  if (child !== undefined && !(STORE_KINDS as readonly string[]).includes(child)) throw new RangeError(`--burst-child must be one of ${STORE_KINDS.join(', ')}`)
  return {
    libraries: count('libraries', 1000),
    openLibraries: count('open-libraries', 5000),
    rounds: count('rounds', 3),
    runs: count('runs', 7),
    strace: !argv.includes('--no-strace'),
    json: argv.includes('--json'),
    burstChild: (child as StoreKind | undefined) ?? null
  }
}

interface Result {
  readonly node: string
  readonly sqlite: string
  readonly libraries: number
  readonly rounds: number
  readonly bursts: readonly BurstFigures[]
  readonly between: readonly BetweenBursts[]
  readonly syscalls: readonly SyscallCount[] | null
  readonly open: readonly OpenFigures[]
}

/** Durable work a store did between the measured bursts, outside any of them (the file vault compacts when idle). */
interface BetweenBursts {
  readonly kind: StoreKind
  readonly batches: number
  readonly blockedMs: number
}

/** The file vault compacts once it has been quiet for a second: give it that before the last count. */
const QUIET_AFTER_BURSTS_MS = 1_500

async function runBursts(options: Options, log: (line: string) => void): Promise<{ figures: BurstFigures[]; between: BetweenBursts[] }> {
  const cipher = await benchCipher()
  const sides: BurstSide[] = []
  for (const kind of STORE_KINDS) sides.push(await burstSide(kind, cipher, options.libraries))
  const runs = new Map<string, BurstRun[]>()
  const totals = (side: BurstSide): { batches: number; blockedMs: number } => ({ batches: side.subject.batches(), blockedMs: side.subject.blockedMs() })
  let before: { batches: number; blockedMs: number }[] = []
  // One unmeasured round first; then each round alternates the stores, so all meet the same state of the disk.
  for (let roundIndex = -1; roundIndex < options.rounds; roundIndex++) {
    if (roundIndex === 0) before = sides.map(totals)
    for (const mode of BURST_MODES) {
      for (const side of sides) {
        const run = await runBurst(side, mode)
        if (roundIndex < 0) continue
        const key = `${side.subject.kind}/${mode}`
        runs.set(key, [...(runs.get(key) ?? []), run])
      }
    }
    log(`  burst round ${roundIndex + 1} of ${options.rounds} done${roundIndex < 0 ? ' (warm-up)' : ''}`)
  }
  await new Promise((resolve) => setTimeout(resolve, QUIET_AFTER_BURSTS_MS))
  const figures: BurstFigures[] = []
  const between: BetweenBursts[] = []
  for (const [index, side] of sides.entries()) {
    const kind = side.subject.kind
    const measured = BURST_MODES.flatMap((mode) => runs.get(`${kind}/${mode}`)!)
    const after = totals(side)
    between.push({
      kind,
      batches: after.batches - before[index]!.batches - measured.reduce((sum, r) => sum + r.batches, 0),
      blockedMs: after.blockedMs - before[index]!.blockedMs - measured.reduce((sum, r) => sum + r.blockedMs, 0)
    })
    await verifySide(side)
    await side.subject.store.close()
    for (const mode of BURST_MODES) figures.push(burstFigures(kind, mode, runs.get(`${kind}/${mode}`)!))
  }
  return { figures, between }
}

async function run(options: Options, log: (line: string) => void): Promise<Result> {
  log(`burst: ${options.libraries} libraries, ${options.rounds} measured rounds per store and mode`)
  const { figures: bursts, between } = await runBursts(options, log)
  let syscalls: SyscallCount[] | null = null
  if (options.strace && straceAvailable()) {
    log('burst under strace, one child per store')
    syscalls = STORE_KINDS.flatMap((kind) => countSyscalls(kind, options.libraries))
  } else {
    log('strace skipped (--no-strace, or strace is not installed)')
  }
  log(`open: ${options.openLibraries} libraries, median of ${options.runs}`)
  const cipher = await benchCipher()
  const stores = await writeLargeStores(cipher, options.openLibraries)
  const open = await measureOpen(stores, cipher, options.openLibraries, options.runs)
  const sqlite = new DatabaseSync(':memory:')
  const version = String(sqlite.prepare('SELECT sqlite_version() AS v').get()?.['v'])
  sqlite.close()
  return { node: process.version, sqlite: version, libraries: options.libraries, rounds: options.rounds, bursts, between, syscalls, open }
}

const MODE_LABELS: Readonly<Record<BurstMode, string>> = { all: 'all at once', paced: `16 at a time + secrets()` }

function table(result: Result): string {
  const lines: string[] = []
  const row = (cells: readonly (string | number)[]): void => void lines.push(`| ${cells.join(' | ')} |`)
  lines.push(`Node ${result.node}, SQLite ${result.sqlite}`, '')
  lines.push(`(a) rotation burst, ${result.libraries} libraries (median total; durable waits over every measured rotation)`, '')
  row(['store', 'burst', 'total ms', 'durable p50 / p95 / max ms', 'batches per 1,000', 'vault-counted syncs per 1,000', 'event loop blocked ms per burst (longest once)'])
  row(['---', '---', '---:', '---:', '---:', '---:', '---:'])
  for (const b of result.bursts) {
    row([
      STORE_LABELS[b.kind],
      MODE_LABELS[b.mode],
      round(b.totalMedianMs),
      `${round(b.durableP50Ms)} / ${round(b.durableP95Ms)} / ${round(b.durableMaxMs)}`,
      round(b.batchesPer1000),
      b.syncsPer1000 === null ? '(strace)' : round(b.syncsPer1000),
      `${round(b.blockedMsPerBurst)} (${round(b.longestBlockMs)})`
    ])
  }
  const bursts = result.rounds * BURST_MODES.length
  lines.push('', `Between the ${bursts} measured bursts of each store, outside them (file vault: compaction once quiet for 1 s):`)
  for (const b of result.between) lines.push(`- ${STORE_LABELS[b.kind]}: ${b.batches} durable writes, event loop blocked ${round(b.blockedMs)} ms`)
  if (result.syscalls !== null) {
    lines.push('', 'fsync-ish writes in one traced burst per store and mode (strace -f; the file vault\'s journal and ledger appends are O_DSYNC writes, not fsync calls, so its own count is shown beside)', '')
    row(['store', 'burst', 'rotations', 'batches', 'fsync + fdatasync calls', 'O_DSYNC appends + fsyncs (vault count)'])
    row(['---', '---', '---:', '---:', '---:', '---:'])
    for (const s of result.syscalls) row([STORE_LABELS[s.kind], MODE_LABELS[s.mode], s.rotations, s.batches, s.fsyncCalls, s.vaultSyncs ?? '—'])
  }
  lines.push('', '(b) open until every status is known, (c) heap with the store open and listed (store only, no core)', '')
  row(['store', 'libraries', 'open median ms', 'on disk', 'heap above before open'])
  row(['---', '---:', '---:', '---:', '---:'])
  for (const o of result.open) {
    row([STORE_LABELS[o.kind], o.libraries, round(o.openMedianMs), `${round(o.diskBytes / 1e6, 2)} MB`, `${round(o.heapDeltaBytes / 1e6, 2)} MB`])
  }
  return lines.join('\n')
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2))
  try {
    if (options.burstChild !== null) {
      await runBurstChild(options.burstChild, await benchCipher(), options.libraries)
      return
    }
    const log = (line: string): void => void process.stderr.write(`${line}\n`)
    const result = await run(options, log)
    if (options.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`)
      log(table(result))
    } else {
      process.stdout.write(`${table(result)}\n`)
    }
  } finally {
    removeTemps()
  }
}

await main()
