// `npm run bench` (node --expose-gc bench/run.ts): Larder's benchmarks, each against a baseline measured in
// the same run, with the goals marked met or missed. Not part of `npm test`.
//
//   --json                one JSON object on stdout (the table goes to stderr), to compare commits
//   --only=a,b            some of: burst (1 and 2), open (3), heap (4), copy (5), store, dashboard (6), wave (7), startup (8), cli (9), import (10)
//   --concurrency=N       the engine's global concurrency and the raw client's, for benchmark 1 (default 16)
//   --libraries=N         libraries refreshed in benchmark 1 (default 1000)
//   --rounds=N            measured bursts per side in benchmark 1 (default 5; the median counts)
//   --latency=MS          then one more burst per side with this server latency per token request, for scale
//                         (default 20; 0 skips it)
//   --store=tuned|app     the store options the cores use (default tuned: see fixtures.ts)
//   --sandbox=process|thread|inline  the sandbox in a process of its own (default), on a thread of this process, or
//                         on the measured thread
import { POOL_CONNECTIONS } from '../src/main/core/apicbase/client.ts'
import { formatDashboardResult, runDashboardBench, type DashboardResult } from './dashboard.ts'
import { formatStartupResult, runStartupBench, type StartupResult } from './startup.ts'
import { formatCliResult, runCliBench, type CliBenchResult } from './cli.ts'
import { formatImportResult, runImportBench, type ImportBenchResult } from './import-dry-run.ts'
import { formatWaveResult, runWaveBench, type WaveResult } from './wave.ts'
import { execFileSync } from 'node:child_process'
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { benchCipher, removeTemps, tempDir, writeSyntheticVault, type StoreTuning } from './fixtures.ts'
import { runCopy, type CopyResult } from './copy.ts'
import { runHeap, type HeapResult } from './heap.ts'
import { goal, type Goal } from './measure.ts'
import { runOpenVault, type OpenResult } from './open-vault.ts'
import { runRefreshBurst, type BurstResult } from './refresh-burst.ts'
import { SANDBOX_PLACEMENTS, startRemoteSandbox, type SandboxPlacement } from './remote-sandbox.ts'
import { runStoreWrite, type StoreWriteResult } from './store-write.ts'

const PARTS = ['burst', 'open', 'heap', 'copy', 'store', 'dashboard', 'wave', 'startup', 'cli', 'import'] as const
type Part = (typeof PARTS)[number]

interface Options {
  readonly json: boolean
  readonly only: ReadonlySet<Part>
  readonly concurrency: number
  readonly libraries: number
  readonly rounds: number
  readonly latencyMs: number
  readonly store: StoreTuning
  readonly sandbox: SandboxPlacement
}

const SANDBOX_WORDS: Record<SandboxPlacement, string> = { process: 'own process', thread: 'own thread of this process', inline: 'same thread' }

const LARGE_VAULT = 10000
const COPIES = 200
const OPEN_RUNS = 15
const STORE_RUNS = 7

function parseArgs(argv: readonly string[]): Options {
  let json = false
  let only = new Set<Part>(PARTS)
  let concurrency = 16
  let libraries = 1000
  let rounds = 5
  let latencyMs = 20
  let store: StoreTuning = 'tuned'
  let sandbox: SandboxPlacement = 'process'
  const whole = (flag: string, value: string, min: number): number => {
    if (!/^\d+$/.test(value) || Number(value) < min) throw new Error(`${flag} needs a whole number ≥ ${min}, got "${value}"`)
    return Number(value)
  }
  for (const arg of argv) {
    const [flag = '', value = ''] = arg.split('=', 2)
    switch (flag) {
      case '--json':
        json = true
        break
      case '--only': {
        const parts = value.split(',').filter((part) => part !== '')
        const unknown = parts.filter((part) => !(PARTS as readonly string[]).includes(part))
        if (parts.length === 0 || unknown.length > 0) throw new Error(`--only takes some of ${PARTS.join(', ')}; got "${value}"`)
        only = new Set(parts as Part[])
        break
      }
      case '--concurrency':
        concurrency = whole(flag, value, 1)
        break
      case '--libraries':
        libraries = whole(flag, value, 10)
        break
      case '--rounds':
        rounds = whole(flag, value, 1)
        break
      case '--latency':
        latencyMs = whole(flag, value, 0)
        break
      case '--store':
        if (value !== 'tuned' && value !== 'app') throw new Error('--store is tuned or app')
        store = value
        break
      case '--sandbox':
        if (!(SANDBOX_PLACEMENTS as readonly string[]).includes(value)) throw new Error(`--sandbox is one of ${SANDBOX_PLACEMENTS.join(', ')}`)
        sandbox = value as SandboxPlacement
        break
      default:
        throw new Error(`unknown argument "${arg}" (see the top of bench/run.ts)`)
    }
  }
  return { json, only, concurrency, libraries, rounds, latencyMs, store, sandbox }
}

interface Results {
  burst?: Omit<BurstResult, 'core' | 'copies' | 'close'>
  copy?: CopyResult
  open?: OpenResult
  heap?: HeapResult | { readonly skipped: string }
  storeWrite?: StoreWriteResult
  dashboard?: DashboardResult
  wave?: WaveResult
  startup?: StartupResult
  cli?: CliBenchResult
  import?: ImportBenchResult
}

function gitRevision(): { readonly commit: string | null; readonly dirty: boolean | null } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== ''
    return { commit, dirty }
  } catch {
    return { commit: null, dirty: null }
  }
}

const ms = (value: number): string => `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)} ms`
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`
const us = (value: number): string => `${value.toFixed(0)} µs`

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)))
  const line = (row: readonly string[]): string => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()
  const rule = widths.map((width) => '─'.repeat(width)).join('  ')
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n')
}

function report(results: Results, goals: readonly Goal[], options: Options): string {
  const verdict = (id: string): string => {
    const found = goals.find((g) => g.id === id)
    return found === undefined ? '' : found.met ? 'met' : 'MISSED'
  }
  const rows: string[][] = [['#', 'benchmark', 'Larder', 'baseline (same run)', 'ratio', 'goal', '']]
  const { burst, open, heap, copy, storeWrite } = results
  if (burst) {
    rows.push([
      '1',
      `refresh all ${burst.libraries} libraries, C=${burst.concurrency}, wall (median of ${burst.rounds})`,
      ms(burst.larderMedianMs),
      `${ms(burst.baselineMedianMs)} raw undici`,
      `${burst.ratio.toFixed(2)}×`,
      '≤ 1.3×',
      verdict('burst.ratio')
    ])
    rows.push([
      '',
      'main-thread busy per refresh, all in (event-loop utilisation; median)',
      us(burst.larderBusyUsPerRefresh),
      `${us(burst.baselineBusyUsPerRequest)} raw undici`,
      `${(burst.larderBusyUsPerRefresh / burst.baselineBusyUsPerRequest).toFixed(2)}×`,
      '≤ 100 µs',
      verdict('burst.busy')
    ])
    rows.push([
      '',
      '  main-thread CPU time per refresh (steadier than busy time on a loaded machine)',
      us(burst.larderCpuUsPerRefresh),
      `${us(burst.baselineCpuUsPerRequest)} raw undici`,
      `${(burst.larderCpuUsPerRefresh / burst.baselineCpuUsPerRequest).toFixed(2)}×`,
      '',
      ''
    ])
    rows.push([
      '',
      "  Larder's own work per refresh: busy, CPU (Larder minus raw undici in the same round; median)",
      `${us(burst.ownBusyUsPerRefresh)}, ${us(burst.ownCpuUsPerRefresh)}`,
      '',
      '',
      '',
      ''
    ])
    rows.push([
      '',
      '  each round: wall ms, busy µs per refresh (Larder / raw undici)',
      burst.perRound.map((r) => `${r.larderMs.toFixed(0)}/${r.baselineMs.toFixed(0)}`).join(' '),
      burst.perRound.map((r) => `${r.larderBusyUsPerRefresh.toFixed(0)}/${r.baselineBusyUsPerRequest.toFixed(0)}`).join(' '),
      '',
      '',
      ''
    ])
    if (burst.withLatency) {
      const { latencyMs, larderMs, baselineMs, baselineOwnPoolMs, ratio } = burst.withLatency
      rows.push(['', `the same with ${latencyMs} ms server latency per request (1 burst, for scale)`, ms(larderMs), `${ms(baselineMs)} raw undici`, `${ratio.toFixed(2)}×`, '', ''])
      rows.push(['', `  raw undici on ${burst.concurrency} connections instead of Larder's pool of ${POOL_CONNECTIONS}`, '', ms(baselineOwnPoolMs), `${(larderMs / baselineOwnPoolMs).toFixed(2)}×`, '', ''])
    }
    rows.push(['2', 'vault writes per 1,000 rotations (journal appends + whole-file writes)', burst.writesPer1000.toFixed(0), '', '', '≤ 100', verdict('durable.writes')])
    rows.push(['', '  of which whole-file writes (compactions); of those on a worker thread', `${burst.fullWritesPer1000.toFixed(0)}; ${burst.backgroundWritesPer1000.toFixed(0)}`, '', '', '', ''])
    rows.push(['', 'fsyncs per 1,000 rotations (vault journal; the spent ledger catching up when quiet; O_DSYNC writes counted)', burst.fsyncsPer1000.toFixed(0), '', '', '', ''])
    rows.push([
      '',
      'audit trail: durable writes per 1,000 rotations; entries per refresh',
      `${burst.auditWritesPer1000.toFixed(0)}; ${burst.auditEntriesPerRefresh.toFixed(2)}`,
      '',
      '',
      '',
      ''
    ])
    rows.push([
      '',
      `longest wait for a batch to be durable, each of the ${burst.rounds} rounds (the longest counts)`,
      burst.perRound.map((r) => r.maxWaitMs.toFixed(1)).join(' / ') + ' ms',
      '',
      '',
      '≤ 20 ms',
      verdict('durable.wait')
    ])
    rows.push([
      '',
      'rotation → durable (commitRotation) p50 / p95 / max',
      `${ms(burst.rotationDurableP50Ms)} / ${ms(burst.rotationDurableP95Ms)} / ${ms(burst.rotationDurableMaxMs)}`,
      '',
      '',
      '',
      ''
    ])
    rows.push(['', 'journal after the bursts (folded into the file when quiet)', mb(burst.journalBytes), '', '', '', ''])
    rows.push([
      '',
      'whole-file writes through the store on the main thread, median / longest; time per burst',
      `${ms(burst.storeWriteMedianMs)} / ${ms(burst.storeWriteMaxMs)}; ${ms(burst.storeWriteMsPerBurst)}`,
      '',
      '',
      '',
      ''
    ])
  }
  if (open) {
    rows.push([
      '3',
      `open ${open.libraries}-library vault until statuses are known (median of ${open.runs})`,
      ms(open.openMedianMs),
      `${ms(open.parseMedianMs)} read + JSON.parse`,
      `${open.ratio.toFixed(2)}×`,
      '≤ 2×',
      verdict('open.ratio')
    ])
  }
  if (heap) {
    if ('skipped' in heap) rows.push(['4', `heap with ${LARGE_VAULT} libraries loaded`, 'skipped', heap.skipped, '', '≤ 25 MB', ''])
    else {
      rows.push(['4', `heap, ${heap.libraries} libraries loaded, above an empty vault`, mb(heap.deltaBytes), `${mb(heap.emptyBytes)} empty`, '', '≤ 25 MB', verdict('heap.delta')])
      rows.push(['', 'the same after a change (journal) and a whole-file write (store made)', mb(heap.afterWriteDeltaBytes), '', '', '', ''])
    }
  }
  if (copy) {
    rows.push(['5', `copy a valid token, handler → sink, median / p95 (${copy.copies})`, `${ms(copy.medianMs)} / ${ms(copy.p95Ms)}`, '', '', '≤ 20 ms', verdict('copy.p95')])
  }
  if (storeWrite) {
    for (const row of storeWrite.rows) {
      rows.push([
        '',
        `${storeWrite.libraries}-library vault, store "${row.tuning}": compaction, main-thread time (longest block; ${row.offThread} of ${storeWrite.runs} off-thread) / one change durable`,
        `${ms(row.storeWriteMs)} (${ms(row.longestBlockMs)}) / ${ms(row.vaultChangeMs)}`,
        `${mb(row.fileBytes)} file`,
        row.tuning === 'tuned' ? `${storeWrite.speedup.toFixed(2)}× less` : '',
        row.tuning === 'tuned' ? '≤ 50 ms' : '',
        row.tuning === 'tuned' ? verdict('store.compaction') : ''
      ])
    }
  }
  if (results.cli) rows.push(...formatCliResult(results.cli))
  if (results.import) rows.push(...formatImportResult(results.import))
  const met = goals.filter((g) => g.met).length
  const notes = [
    `baseline of 1: undici request() through a pool like Larder's client (${POOL_CONNECTIONS} connections, keep-alive), C requests at a time; ` +
      `store options: ${options.store}; sandbox: ${SANDBOX_WORDS[options.sandbox]}, rate limit off; ` +
      `node ${process.version}, ${os.cpus().length} CPUs`,
    ...(results.burst
      ? [
          'Larder in 1 is the app as a desktop host builds it (createLarderApp: the projection, the event stream with a listener, the desktop feed ' +
            "with the tray and notification stand-ins); busy time is the main thread's, from the first refresh until the burst's views and audit entries are out"
        ]
      : []),
    `goals met: ${met} of ${goals.length}`
  ]
  return `${table(rows)}\n\n${notes.join('\n')}\n`
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2))
  const started = performance.now()
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`)
  }
  const results: Results = {}
  const goals: Goal[] = []
  const cipher = await benchCipher()
  try {
    if (options.only.has('burst') || options.only.has('copy')) {
      log(`benchmarks 1, 2: refresh burst (${options.libraries} libraries, C=${options.concurrency})`)
      const sandbox = await startRemoteSandbox(options.sandbox)
      try {
        const burst = await runRefreshBurst(
          sandbox,
          { libraries: options.libraries, concurrency: options.concurrency, rounds: options.rounds, warmLibraries: 300, tuning: options.store, latencyMs: options.latencyMs },
          log
        )
        const { core, copies, close, ...figures } = burst
        try {
          if (options.only.has('burst')) {
            results.burst = figures
            goals.push(goal('burst.ratio', 'refresh burst ÷ raw undici, wall', burst.ratio, 1.3, '×'))
            goals.push(goal('burst.busy', 'main-thread busy per refresh, all in', burst.larderBusyUsPerRefresh, 100, 'µs'))
            goals.push(goal('durable.writes', 'vault writes per 1,000 rotations', burst.writesPer1000, 100, 'writes'))
            goals.push(goal('durable.wait', 'longest wait until durable, longest of the rounds', burst.maxWaitMs, 20, 'ms'))
          }
          if (options.only.has('copy')) {
            log(`benchmark 5: copy (${COPIES} copies)`)
            results.copy = await runCopy(core, copies, COPIES)
            goals.push(goal('copy.p95', 'copy, handler → sink, p95', results.copy.p95Ms, 20, 'ms'))
          }
        } finally {
          await close()
        }
      } finally {
        await sandbox.close()
      }
    }
    if (options.only.has('open') || options.only.has('heap') || options.only.has('store')) {
      log(`building a ${LARGE_VAULT}-library vault`)
      const large = await writeSyntheticVault(tempDir('large'), cipher, LARGE_VAULT)
      if (options.only.has('open')) {
        log('benchmark 3: open')
        results.open = await runOpenVault(large, cipher, options.store, OPEN_RUNS)
        goals.push(goal('open.ratio', 'open ÷ JSON.parse', results.open.ratio, 2, '×'))
      }
      if (options.only.has('heap')) {
        log('benchmark 4: heap')
        if (globalThis.gc === undefined) results.heap = { skipped: 'run with node --expose-gc' }
        else {
          const heap = await runHeap(large, cipher, options.store)
          results.heap = heap
          goals.push(goal('heap.delta', 'heap above an empty vault', heap.deltaBytes / 1024 / 1024, 25, 'MB'))
        }
      }
      if (options.only.has('store')) {
        log('store write cost')
        results.storeWrite = await runStoreWrite(large, cipher, STORE_RUNS)
        goals.push(goal('store.compaction', 'compaction, main-thread time (app store)', results.storeWrite.compactionMainThreadMs, 50, 'ms'))
      }
    }
    if (options.only.has('dashboard')) {
      log('benchmark 6: the dashboard with 10,000 libraries in Chromium, and a mixed list of 5,000 against 5,000 libraries (needs a built renderer: npm run build)')
      const dashboard = await runDashboardBench({ log })
      results.dashboard = dashboard
      goals.push(...dashboard.goals)
    }
    if (options.only.has('wave')) {
      log('benchmark 7: a refresh wave of 1,000 while the dashboard shows 10,000 libraries')
      const wave = await runWaveBench({ log })
      results.wave = wave
      goals.push(...wave.goals)
    }
    if (options.only.has('cli')) {
      log('benchmark 9: larder token end to end against node -e 0')
      const cli = await runCliBench({ log })
      results.cli = cli
      goals.push(...cli.goals)
    }
    if (options.only.has('import')) {
      log('benchmark 10: the bulk import\'s dry run of a 10,000-row CSV')
      const imported = await runImportBench({ log })
      results.import = imported
      goals.push(...imported.goals)
    }
    if (options.only.has('startup')) {
      log('benchmark 8: start-up, page load to the first list paint with 10,000 libraries')
      const startup = await runStartupBench({ log })
      results.startup = startup
      goals.push(...startup.goals)
    }
  } finally {
    removeTemps()
  }
  const browserTexts = [
    results.dashboard ? formatDashboardResult(results.dashboard) : null,
    results.wave ? formatWaveResult(results.wave) : null,
    results.startup ? formatStartupResult(results.startup) : null
  ].filter((part) => part !== null)
  const text = report(results, goals, options) + browserTexts.map((part) => `\n${part}`).join('')
  const durationMs = Math.round(performance.now() - started)
  if (options.json) {
    process.stderr.write(`\n${text}`)
    const output = {
      schema: 'larder-bench/1',
      at: new Date().toISOString(),
      git: gitRevision(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: os.cpus().length,
      options: { ...options, only: [...options.only] },
      durationMs,
      goals,
      allMet: goals.every((g) => g.met),
      results
    }
    process.stdout.write(`${JSON.stringify(output)}\n`)
  } else {
    process.stdout.write(`\n${text}(${(durationMs / 1000).toFixed(1)} s)\n`)
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  removeTemps()
  process.exitCode = 1
})
