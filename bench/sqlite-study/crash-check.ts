// The crash check: a child process refreshes every library over and over on one store and is killed with SIGKILL
// at random moments (during its open, or mid-burst); after each kill this process opens the store and checks, for
// every library, which link of its token chain the store holds against what the child had reported:
//   lost rotation      the child was told a rotation was durable, and the store holds an older token;
//   spent mark missing the token before the stored one was consumed, and the store does not read it as spent;
//   live marked spent  the stored token was never sent and reads as spent, so the app would refuse a working token;
//   answer lost at kill the token had gone out (the "server" consumed it) and the kill came before the new pair
//                      was durable: no store can keep a pair it never received. Either the store already reads the
//                      token as spent (the app refuses it by itself) or the app finds it by asking the server
//                      (test/chaos's introspection); here the parent re-authorizes them, and counts both kinds.
// A stored token that is spent at the server and not one of those is a token the app would re-send.
// Usage: node bench/sqlite-study/crash-check.ts [--kills=20] [--libraries=200] [--stores=sqlite-full,file] [--seed=1]
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { createRng } from '../../test/sandbox/rng.ts'
import { benchCipher, PASSPHRASE, removeTemps, syntheticRecord, tempDir } from '../fixtures.ts'
import { CHAIN_KEY_ENV, PASSPHRASE_ENV, chainNext, decodeLine, fingerprint, writeCipherHeader } from './crash-protocol.ts'
import { issuedPair, openSubject, randomToken, STORE_KINDS, STORE_LABELS, type StoreKind } from './subjects.ts'

const TIME_LIMIT_MS = 100_000
const READY_TIMEOUT_MS = 30_000

interface Tracked {
  readonly id: string
  /** tokens[i] is link i of the chain; the store starts at link 0. */
  readonly tokens: string[]
  readonly links: Map<string, number>
  /** The newest link known durable (acknowledged, or found in the store). */
  durable: number
  /** The link whose token went out and whose rotation was not acknowledged. */
  inflight: number | null
}

interface Counts {
  kills: number
  killedBeforeReady: number
  sends: number
  acked: number
  durableUnacknowledged: number
  lostRotations: number
  spentMarkMissing: number
  liveMarkedSpent: number
  answerLostAtKill: number
  /** Of those, the ones the store already reads as spent. */
  answerLostMarkedSpent: number
  wouldResendSpent: number
  unknownToken: number
  refusedAsSpent: number
  protocolErrors: number
  failedOpens: number
}

export interface CrashResult extends Counts {
  readonly kind: StoreKind
  readonly libraries: number
  readonly elapsedMs: number
}

function option(name: string, fallback: string): string {
  return process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback
}

function linkOf(tracked: Tracked, key: Buffer, print: string): number | undefined {
  // The store can hold at most the link after the one in flight; compute the chain that far.
  while (tracked.tokens.length < tracked.durable + 3) {
    const next = chainNext(key, tracked.tokens.at(-1)!)
    tracked.links.set(fingerprint(next), tracked.tokens.length)
    tracked.tokens.push(next)
  }
  return tracked.links.get(print)
}

async function runKind(kind: StoreKind, libraries: number, kills: number, rng: () => number, deadline: number): Promise<CrashResult> {
  const started = performance.now()
  const dir = tempDir(`sqlite-study-crash-${kind}`)
  const key = randomBytes(32)
  const cipher = await benchCipher()
  if (cipher.header === undefined) throw new Error('the bench cipher has no header to derive its key from')
  writeCipherHeader(dir, cipher.header)
  const tracked = new Map<string, Tracked>()
  const setup = await openSubject(kind, dir, cipher)
  const now = Date.now()
  await Promise.all(
    Array.from({ length: libraries }, async (_, i) => {
      const record = syntheticRecord(i, now)
      const first = randomToken()
      tracked.set(record.meta.id, { id: record.meta.id, tokens: [first], links: new Map([[fingerprint(first), 0]]), durable: 0, inflight: null })
      await setup.store.add(record.meta, { ...record.secrets, refreshToken: first })
    })
  )
  await setup.store.close()
  const counts: Counts = {
    kills: 0,
    killedBeforeReady: 0,
    sends: 0,
    acked: 0,
    durableUnacknowledged: 0,
    lostRotations: 0,
    spentMarkMissing: 0,
    liveMarkedSpent: 0,
    answerLostAtKill: 0,
    answerLostMarkedSpent: 0,
    wouldResendSpent: 0,
    unknownToken: 0,
    refusedAsSpent: 0,
    protocolErrors: 0,
    failedOpens: 0
  }
  const onLine = (text: string): void => {
    const line = decodeLine(text)
    if (line === null) return void counts.protocolErrors++
    if (line.event === 'ready') return
    const library = tracked.get(line.id)
    const link = library === undefined ? undefined : linkOf(library, key, line.sent)
    if (library === undefined || link === undefined) return void counts.protocolErrors++
    if (line.event === 'spent') return void counts.refusedAsSpent++
    if (line.event === 'send') {
      counts.sends++
      if (link !== library.durable) counts.protocolErrors++
      library.inflight = link
    } else {
      counts.acked++
      if (link !== library.inflight) counts.protocolErrors++
      library.durable = link + 1
      library.inflight = null
    }
  }
  const script = fileURLToPath(new URL('./crash-child.ts', import.meta.url))
  for (let kill = 0; kill < kills && performance.now() < deadline; kill++) {
    // A third of the kills land anywhere from the start (the open included), the rest mid-burst.
    const anytime = rng() < 1 / 3
    const delayMs = anytime ? rng() * 500 : rng() * 300
    await killedChild(script, kind, dir, key, anytime, delayMs, onLine, counts)
    await checkStore(kind, dir, cipher, key, tracked, counts)
  }
  return { kind, libraries, elapsedMs: performance.now() - started, ...counts }
}

function killedChild(
  script: string,
  kind: StoreKind,
  dir: string,
  key: Buffer,
  anytime: boolean,
  delayMs: number,
  onLine: (text: string) => void,
  counts: Counts
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, `--kind=${kind}`, `--dir=${dir}`], {
      env: { ...process.env, [CHAIN_KEY_ENV]: key.toString('hex'), [PASSPHRASE_ENV]: PASSPHRASE },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let ready = false
    let pending = ''
    let stderr = ''
    const killLater = (): void => void setTimeout(() => child.kill('SIGKILL'), delayMs)
    const readyTimer = setTimeout(() => child.kill('SIGKILL'), READY_TIMEOUT_MS)
    if (anytime) killLater()
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        if (line === 'ready' && !ready) {
          ready = true
          clearTimeout(readyTimer)
          if (!anytime) killLater()
        }
        onLine(line)
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    child.on('close', (code, signal) => {
      clearTimeout(readyTimer)
      if (signal !== 'SIGKILL') return reject(new Error(`the child stopped by itself (code ${code}): ${stderr.slice(-2000)}`))
      // A torn last line was cut by the kill before it was written whole: it reported nothing.
      counts.kills++
      if (!ready) counts.killedBeforeReady++
      resolve()
    })
  })
}

async function checkStore(kind: StoreKind, dir: string, cipher: Awaited<ReturnType<typeof benchCipher>>, key: Buffer, tracked: Map<string, Tracked>, counts: Counts): Promise<void> {
  let subject: Awaited<ReturnType<typeof openSubject>>
  try {
    subject = await openSubject(kind, dir, cipher)
  } catch (error) {
    counts.failedOpens++
    throw new Error(`the ${kind} store did not open after a kill`, { cause: error })
  }
  const { store } = subject
  if (store.list().length !== tracked.size) counts.lostRotations += Math.abs(tracked.size - store.list().length)
  for (const library of tracked.values()) {
    const { refreshToken } = await store.secrets(library.id, ['refreshToken'])
    const link = linkOf(library, key, fingerprint(refreshToken))
    if (link === undefined) {
      counts.unknownToken++
      continue
    }
    if (link < library.durable) counts.lostRotations++
    if (link > 0 && !store.isSpent(library.tokens[link - 1]!)) counts.spentMarkMissing++
    if (library.inflight !== null && link === library.inflight + 1) counts.durableUnacknowledged++
    const sentAtKill = library.inflight !== null && link === library.inflight
    if (store.isSpent(refreshToken) && !sentAtKill) counts.liveMarkedSpent++
    const consumedByServer = link < library.durable || sentAtKill
    if (sentAtKill) {
      counts.answerLostAtKill++
      if (store.isSpent(refreshToken)) counts.answerLostMarkedSpent++
      // What the app does once the server says the stored token is dead: a new pair for the library.
      await store.commitRotation(library.id, { sentRefreshToken: refreshToken, pair: issuedPair(library.tokens[link + 1]!) })
      library.durable = link + 1
    } else {
      if (consumedByServer) counts.wouldResendSpent++
      // The store is the truth from here on (after a lost rotation too, so the run carries on from it).
      library.durable = link
    }
    library.inflight = null
  }
  await store.close()
}

async function main(): Promise<void> {
  const kills = Number(option('kills', '20'))
  const libraries = Number(option('libraries', '200'))
  const seed = Number(option('seed', '1'))
  const kinds = option('stores', 'sqlite-full,file').split(',') as StoreKind[]
  for (const kind of kinds) if (!STORE_KINDS.includes(kind)) throw new RangeError(`--stores takes ${STORE_KINDS.join(', ')}`)
  const rng = createRng(seed)
  const results: CrashResult[] = []
  const end = performance.now() + TIME_LIMIT_MS
  try {
    for (const [index, kind] of kinds.entries()) {
      process.stderr.write(`${STORE_LABELS[kind]}: ${libraries} libraries, ${kills} kills\n`)
      // Each store gets its share of the time left; past it the run stops killing and reports the kills done.
      const deadline = performance.now() + (end - performance.now()) / (kinds.length - index)
      results.push(await runKind(kind, libraries, kills, rng, deadline))
    }
  } finally {
    removeTemps()
  }
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(results)}\n`)
  const keys = Object.keys(results[0] ?? {}).filter((name) => name !== 'kind')
  process.stdout.write(`| figure | ${results.map((r) => STORE_LABELS[r.kind]).join(' | ')} |\n|---|${results.map(() => '---:').join('|')}|\n`)
  for (const name of keys) {
    const cells = results.map((r) => {
      const value = r[name as keyof CrashResult]
      return typeof value === 'number' ? String(Math.round(value)) : String(value)
    })
    process.stdout.write(`| ${name} | ${cells.join(' | ')} |\n`)
  }
  const bad = results.some((r) => r.lostRotations + r.spentMarkMissing + r.liveMarkedSpent + r.wouldResendSpent + r.unknownToken + r.protocolErrors + r.failedOpens > 0)
  if (bad) process.exitCode = 1
}

await main()
