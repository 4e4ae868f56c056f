// Where a refresh burst's main-thread time goes: runs benchmark 1 (the app as a desktop host has it, the sandbox in
// its own process) with the CPU profiler on during the measured Larder bursts only, and prints, per refresh, the time
// of each part of a refresh (the innermost Larder function on a sample's stack decides), per file and per function.
// Not part of `npm run bench`. The profiler itself roughly doubles the cost; read the shares, not the sums.
//
//   node --expose-gc bench/profile-burst.ts [--libraries=N] [--rounds=N] [--top=N] [--out=file.cpuprofile]
import fs from 'node:fs'
import { Session } from 'node:inspector/promises'
import { removeTemps } from './fixtures.ts'
import { runRefreshBurst } from './refresh-burst.ts'
import { startRemoteSandbox } from './remote-sandbox.ts'

/** Which part of a refresh a sample belongs to, from the innermost Larder function on its stack. */
const CATEGORIES: readonly (readonly [string, RegExp])[] = [
  ['crypto (sealing, passphrase cipher, binding)', /vault\/(passphrase-cipher|sealing|record-binding)\.ts/],
  ['durable write (journal, group commit, spent ledger, store engine, files)', /vault\/(journal|store-engine|durable-fs|group-commit|spent-ledger|serial-queue|vault-records|alarms)\.ts/],
  ['vault API (checks, repository, observed vault)', /(vault\/(vault-repository|checks|library-checks|quarantine)|observed-vault)\.ts/],
  ['refresh engine (limits, deadlines, clock)', /(engine\/|time\/)/],
  ['Apicbase client (request, parsing, rate limits)', /apicbase\//],
  ['audit trail', /audit\//],
  ['projection, views, desktop feed, core signals', /(app\/|libraries\/|health\/|desktop\/|larder-core|personal\/)/],
  ['window stand-in (serialising events)', /bench\/burst-app/],
  ['bench harness', /bench\//],
  ['garbage collector', /garbage collector/],
  ['idle / profiler', /\(\(idle\)\)|node:inspector/]
]
function categoryOf(owner: string): string {
  return CATEGORIES.find(([, pattern]) => pattern.test(owner))?.[0] ?? 'undici, sockets, Node internals (no Larder frame)'
}

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
  readonly children?: readonly number[]
}
interface Profile {
  readonly nodes: readonly ProfileNode[]
  readonly samples: readonly number[]
}

const args = new Map(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=', 2) as [string, string]))
const libraries = Number(args.get('libraries') ?? 1000)
const rounds = Number(args.get('rounds') ?? 3)
const top = Number(args.get('top') ?? 40)
const out = args.get('out')

const session = new Session()
session.connect()
await session.post('Profiler.enable')
await session.post('Profiler.setSamplingInterval', { interval: 250 })
const profiles: Profile[] = []
const sandbox = await startRemoteSandbox('process')
try {
  const result = await runRefreshBurst(
    sandbox,
    {
      libraries,
      concurrency: 16,
      rounds,
      warmLibraries: 300,
      tuning: 'tuned',
      latencyMs: 0,
      aroundLarder: {
        before: async () => void (await session.post('Profiler.start')),
        after: async () => void profiles.push((await session.post('Profiler.stop')).profile as unknown as Profile)
      }
    },
    (line) => process.stderr.write(`${line}\n`)
  )
  await result.close()
  const refreshes = libraries * rounds
  const cpuUsPerRefresh = result.perRound.reduce((sum, r) => sum + r.larderCpuUsPerRefresh, 0) / result.perRound.length
  const byFunction = new Map<string, number>()
  const byFile = new Map<string, number>()
  // Each sample charged to the innermost function of Larder's own code on its stack (what it calls included).
  const byOwner = new Map<string, number>()
  const byCategory = new Map<string, number>()
  let total = 0
  const fileOf = (frame: ProfileNode['callFrame']): string => frame.url.replace(/^file:\/\/.*?\/(src|bench|test|node_modules)\//, '$1/') || `(${frame.functionName})`
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
    const parents = new Map<number, number>()
    for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id)
    // Counted per sample rather than by the wall time before it: on a loaded machine a sample after the thread was
    // descheduled would carry that wait; counts follow CPU time more closely (scaled to µs of CPU below).
    for (const id of profile.samples) {
      const frame = nodes.get(id)!.callFrame
      const us = 1
      const file = fileOf(frame)
      const name = `${frame.functionName || '(anonymous)'}  ${file}:${frame.lineNumber + 1}`
      byFunction.set(name, (byFunction.get(name) ?? 0) + us)
      byFile.set(file, (byFile.get(file) ?? 0) + us)
      let owner = file.startsWith('node_modules/undici') ? 'undici (no Larder frame)' : file
      for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
        const f = nodes.get(at)!.callFrame
        const ownFile = fileOf(f)
        if (ownFile.startsWith('src/') || ownFile.startsWith('bench/')) {
          owner = `${f.functionName || '(anonymous)'}  ${ownFile}:${f.lineNumber + 1}`
          break
        }
      }
      byOwner.set(owner, (byOwner.get(owner) ?? 0) + us)
      const category = categoryOf(owner)
      byCategory.set(category, (byCategory.get(category) ?? 0) + us)
      total += us
    }
  }
  const idle = (byFile.get('((idle))') ?? 0) + (byFile.get('node:inspector') ?? 0) + (byFile.get('bench/profile-burst.ts') ?? 0)
  // Each busy sample's share of the measured CPU time per refresh.
  const scale = cpuUsPerRefresh / ((total - idle) / refreshes)
  const show = (title: string, table: Map<string, number>): void => {
    process.stdout.write(`\n${title} (µs of CPU per refresh, from sample counts)\n`)
    for (const [key, samples] of [...table].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      process.stdout.write(`${((samples * scale) / refreshes).toFixed(1).padStart(8)}  ${key}\n`)
    }
  }
  process.stdout.write(`profiled ${refreshes} refreshes: main-thread CPU ${cpuUsPerRefresh.toFixed(0)} µs per refresh (profiler on), ` +
    `ELU busy per round ${result.perRound.map((r) => r.larderBusyUsPerRefresh.toFixed(0)).join(", ")} µs, CPU ${result.perRound.map((r) => r.larderCpuUsPerRefresh.toFixed(0)).join(", ")} µs\n`)
  show('by part of a refresh (innermost Larder file on the stack decides)', byCategory)
  show('by file', byFile)
  show('by the innermost Larder function on the stack (what it calls included)', byOwner)
  show('by function', byFunction)
  if (out !== undefined) fs.writeFileSync(out, JSON.stringify(profiles.at(-1)))
} finally {
  await sandbox.close()
  session.disconnect()
  removeTemps()
}
