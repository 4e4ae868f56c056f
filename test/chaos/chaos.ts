// The chaos run: many libraries refreshed by a Larder process whose clock this run drives ("time travel"),
// against the sandbox injecting connection resets before and after commit, 5xx, HTML error pages, latency
// spikes and 429 bursts, while the process is SIGKILLed at random moments and started again on the same data
// folder. At the end (faults cleared, one more round so every library gets one attempt) it works out:
//   - refresh tokens lost: a library whose stored refresh token is dead at the server but is not marked needs
//     re-authorization, or one marked although no rotation of it was committed by the server and left
//     unanswered. Those committed-and-unanswered rotations are counted, and each must be marked within one attempt;
//   - the most refreshes of one token family in flight at once, and the most requests per token per minute;
//   - store files that failed to load; secrets found in clear anywhere under the data folder.
//
// Which rotations were committed but never answered is known exactly, not guessed: when a token request fails in
// a way that may have reached the server, and at every start, the Larder process asks the server (introspection)
// whether its stored access token still works. A rotation revokes the old access token at once, so "no" means the
// server committed a rotation whose pair never reached the vault. "No" for a library that had nothing in flight
// is a lost token. The vault's stored refresh token is also checked against what the process received (by
// fingerprint): at every start and at the end it must be the newest durable one, or one that was in flight.
//
// A library marked needs re-authorization is re-authorized between steps (the customer issues a new pair, a new
// family), so all of them keep refreshing. Faults hit the token endpoint only: the introspection that tells
// committed from not committed must itself be reliable.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Conf from 'conf'
import { createApicbaseClient } from '../../src/main/core/apicbase/index.ts'
import { openAuditLog } from '../../src/main/core/audit/index.ts'
import { DEFAULT_BACKOFF } from '../../src/main/core/engine/failures.ts'
import { createPassphraseCipher, openVault, readVaultHeader, type Vault } from '../../src/main/core/vault/index.ts'
import { startSandbox, type FaultSpec, type Sandbox, type Scope } from '../sandbox/index.ts'
import { createRng } from '../sandbox/rng.ts'
import { check, type ChaosCheck, type ChaosFigures, type ChaosResult } from './figures.ts'
import { ChildGone, LarderProcess } from './larder-process.ts'
import { secretFingerprint, SecretIndex } from './secret-scan.ts'
import { sandboxLibraryRecord } from '../support/sandbox-records.ts'

export { formatFigures, type ChaosCheck, type ChaosFigures, type ChaosResult } from './figures.ts'

const PASSPHRASE = 'chaos: correct horse battery staple'
/** Cheap key derivation: the run opens the vault 20-odd times. */
const FAST_SCRYPT = { N: 1024, r: 8, p: 1 } as const
const DAY = 86_400_000
const HOUR = 3_600_000
/** The documented access-token lifetime; the engine refreshes a day before expiry, so about every 6 days. */
const TOKEN_LIFETIME_MS = 7 * DAY
/**
 * The partner's working day: the machine is awake from 09:00 to 18:00 (timers fire one by one, the clock moving in
 * steps of up to 3 h) and asleep overnight (the clock jumps 15 h; on waking the engine re-evaluates and refreshes
 * everything that fell due at once). Between steps the run re-authorizes libraries and starts 429 bursts.
 */
const START_TIME = Date.UTC(2026, 10, 25, 9, 0, 0)
const AWAKE_MS = 9 * HOUR
const AWAKE_STEP_MS = 3 * HOUR
const READY_TIMEOUT_MS = 30_000
const TRANSIENT = new Set(['network', 'timeout', 'server_error', 'malformed_response', 'storage'])

export interface FaultRates {
  readonly resetBeforeCommit: number
  readonly resetAfterCommit: number
  /** 503 and 500 with a JSON body. */
  readonly serverError: number
  /** A proxy's 502 page in HTML. */
  readonly html: number
  /** 429 with Retry-After: 30 now and then; bursts come on top. */
  readonly rateLimit: number
  /** Chance per answered refresh that a burst of 429s starts: the next 3–12 token requests, Retry-After 30–120 s. */
  readonly burstPerRefresh: number
  readonly latency: number
  readonly latencyMs: number
  readonly spike: number
  readonly spikeMs: number
}

export const DEFAULT_FAULT_RATES: FaultRates = {
  resetBeforeCommit: 0.02,
  resetAfterCommit: 0.02,
  serverError: 0.02,
  html: 0.02,
  rateLimit: 0.01,
  burstPerRefresh: 0.005,
  latency: 0.03,
  latencyMs: 25,
  spike: 0.005,
  spikeMs: 150
}

export interface ChaosOptions {
  readonly seed: number
  readonly libraries: number
  /** Token requests answered 200 before the final round. */
  readonly refreshes: number
  readonly kills: number
  /** Wall-clock bound: past it the run stops driving, does the final round and reports (and fails "completed"). */
  readonly timeLimitMs: number
  readonly log?: (line: string) => void
  readonly faults?: Partial<FaultRates>
  /** Leave the data folder in place (its path is in the result). */
  readonly keepDataDir?: boolean
}

// ── what this run knows about each library ───────────────────────────────────────────────────────────────

interface DeadToken {
  readonly cause: 'answer lost' | 'killed' | 'unexplained'
  readonly family: string
  /** Refresh-token presentations since the death was known, in the current process. */
  sends: number
  /** Of those, the ones the server's token endpoint judged (not answered by a fault: 429, 5xx, reset). */
  verdicts: number
}

interface Tracked {
  readonly id: string
  readonly sandboxLibraryId: number
  readonly clientId: string
  readonly scopes: readonly Scope[]
  family: string
  /**
   * Fingerprints of the refresh tokens the vault may hold: the newest durable one, plus any that arrived (or was
   * handed over by a re-authorization) and was not yet confirmed durable. Anything else on disk is a lost write.
   */
  acceptable: Set<string>
  lastReceived: string | null
  reauthFingerprint: string | null
  /** A token request went out and no outcome came back yet. */
  open: boolean
  openAtKill: boolean
  /** The server committed a rotation whose answer never became durable; not yet marked. */
  dead: DeadToken | null
  /** Marked needs re-authorization (durably) and not re-authorized since. */
  marked: boolean
  /** A re-authorization was handed to the process and not yet confirmed. */
  reauthFamily: string | null
  /** In this process, the next token request must not go out before this (backoff, Retry-After). */
  earliestNext: number | null
  earliestWhy: string
  attemptedInFinalRound: boolean
}

interface KillPlan {
  readonly atSend: number
  readonly mode: 'send' | 'recv' | 'random'
  readonly delayMs: number
}

function ms(text: string | undefined): number | null {
  if (text === undefined || text === '-') return null
  const value = Number(text)
  return Number.isFinite(value) ? value : null
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  for (const [name, value] of Object.entries({ libraries: options.libraries, refreshes: options.refreshes, kills: options.kills })) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`runChaos: ${name} must be a whole number ≥ 0, got ${value}`)
  }
  if (options.libraries < 1) throw new RangeError('runChaos: at least one library')
  const run = new ChaosRun(options)
  try {
    return await run.run()
  } finally {
    await run.cleanup()
  }
}

class ChaosRun {
  readonly #options: ChaosOptions
  readonly #rates: FaultRates
  readonly #rng: () => number
  readonly #log: (line: string) => void
  readonly #problems: string[] = []
  #problemCount = 0
  readonly #secrets = new SecretIndex()
  readonly #tracked = new Map<string, Tracked>()
  #sandbox: Sandbox | null = null
  #dir = ''
  #child: LarderProcess | null = null
  #generation = 0
  #childNow = START_TIME
  #output = ''
  #startedAt = 0

  // counts
  #sends = 0
  #answeredSeen = 0
  #hitsScanned = 0
  #kills = 0
  #killPlan: KillPlan[] = []
  #armed: KillPlan | null = null
  #killTimer: ReturnType<typeof setTimeout> | null = null
  #awaitingRecv = false
  #committedAnswerLost = 0
  #committedKilled = 0
  #marks = 0
  #mostAttempts = 0
  #mostPresentations = 0
  #reauthorized = 0
  #lost = 0
  #retriesTooEarly = 0
  #shortest429: number | null = null
  #pokesShared = 0
  #storeLoads = 0
  #storeLoadFailures = 0
  #bursts: { id: string; times: number }[] = []
  #faultIds = new Map<string, string>()
  #faultsApplied: Record<string, number> = {}
  #finalRound = false
  /** Per family: the number of processes in which it was known dead (each may present the dead token once). */
  readonly #deadLifetimes = new Map<string, number>()

  constructor(options: ChaosOptions) {
    this.#options = options
    this.#rates = { ...DEFAULT_FAULT_RATES, ...options.faults }
    this.#rng = createRng(options.seed)
    this.#log = options.log ?? (() => undefined)
  }

  #problem(text: string): void {
    this.#problemCount++
    if (this.#problems.length < 50) this.#problems.push(text)
  }

  get #sb(): Sandbox {
    if (this.#sandbox === null) throw new Error('the sandbox is not running')
    return this.#sandbox
  }

  async cleanup(): Promise<void> {
    if (this.#killTimer !== null) clearTimeout(this.#killTimer)
    if (this.#child !== null && !this.#child.gone) {
      this.#child.kill()
      await this.#child.closed
    }
    await this.#sandbox?.close()
    if (this.#dir !== '' && this.#options.keepDataDir !== true) fs.rmSync(this.#dir, { recursive: true, force: true })
  }

  async run(): Promise<ChaosResult> {
    this.#startedAt = Date.now()
    const { seed } = this.#options
    this.#sandbox = await startSandbox({ seed, startTime: START_TIME })
    this.#dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-chaos-'))
    await this.#prepareVault()
    this.#injectFaults()
    this.#planKills()

    let timedOut = false
    let aborted = false
    const deadline = this.#startedAt + this.#options.timeLimitMs
    let nextReport = 0.1
    while (this.#answered() < this.#options.refreshes) {
      if (Date.now() > deadline) {
        timedOut = true
        break
      }
      const answeredBefore = this.#answered()
      try {
        if (this.#child === null) await this.#start()
        await this.#step()
        await this.#reauthorizeMarked()
      } catch (error) {
        if (!(error instanceof ChildGone)) throw error
        if (!(await this.#afterDeath())) {
          aborted = true
          break
        }
        continue
      }
      this.#maybeBurst(this.#answered() - answeredBefore)
      const done = this.#answered() / Math.max(1, this.#options.refreshes)
      if (done >= nextReport) {
        this.#log(
          `  ${Math.round(done * 100)}%: ${this.#answered()} refreshes, day ${((this.#childNow - START_TIME) / DAY).toFixed(1)}, ` +
            `${this.#kills} kills, ${this.#committedAnswerLost + this.#committedKilled} committed-unanswered, ${((Date.now() - this.#startedAt) / 1000).toFixed(1)} s`
        )
        nextReport = Math.floor(done * 10) / 10 + 0.1
      }
    }

    // ── the end: faults cleared, no more kills, one more round so every library gets one attempt ──────────
    this.#disarmKills()
    this.#recordFaults()
    this.#sb.faults.clear()
    let finalRoundDone = false
    if (!aborted) {
      try {
        if (this.#child === null) await this.#start()
        await this.#reauthorizeMarked()
        this.#finalRound = true
        for (const library of this.#tracked.values()) library.attemptedInFinalRound = false
        const finalStart = this.#childNow
        while (this.#childNow < finalStart + TOKEN_LIFETIME_MS + DAY) {
          await this.#step()
          if ([...this.#tracked.values()].every((l) => l.attemptedInFinalRound || l.marked)) break
        }
        const child = this.#child
        if (child === null) throw new Error('no Larder process for the final round')
        await child.request('stop', (w) => w[0] === 'stopped', 'stop')
        const exit = await child.closed
        if (exit.code !== 0) this.#problem(`the Larder process did not stop cleanly (code ${exit.code}, signal ${exit.signal}):\n${child.stderr}`)
        this.#child = null
        finalRoundDone = true
        const missed = [...this.#tracked.values()].filter((l) => !l.attemptedInFinalRound && !l.marked).map((l) => l.id)
        if (missed.length > 0) this.#problem(`the final round gave no attempt to ${missed.length} libraries: ${missed.slice(0, 5).join(', ')}`)
      } catch (error) {
        this.#problem(`the final round failed: ${error instanceof Error ? error.message : String(error)}`)
      }
    }

    return this.#finish({ timedOut, aborted, finalRoundDone })
  }

  // ── setting up ───────────────────────────────────────────────────────────────────────────────────────

  async #prepareVault(): Promise<void> {
    const sandbox = this.#sb
    const { cipher } = await createPassphraseCipher(PASSPHRASE, undefined, { cost: FAST_SCRYPT })
    const vault = await openVault({
      path: path.join(this.#dir, 'vault.json'),
      openStore: () => new Conf({ cwd: this.#dir, configName: 'vault', configFileMode: 0o600 }),
      cipher,
      now: () => START_TIME
    })
    for (let i = 1; i <= this.#options.libraries; i++) {
      const credentials = sandbox.addLibraryWithApplication({ name: `Chaos Kitchen ${i}` })
      const id = `lib-${i}`
      // Issued at spread-out moments of the last six days, so the libraries do not all refresh together.
      const issuedAt = START_TIME - Math.floor(this.#rng() * 6 * DAY)
      const record = sandboxLibraryRecord(credentials, { id, apiBaseUrl: sandbox.url, issuedAt, lifetimeMs: TOKEN_LIFETIME_MS })
      await vault.add(record.meta, record.secrets)
      for (const secret of [credentials.clientSecret, credentials.accessToken, credentials.refreshToken]) {
        if (!this.#secrets.addSecret(secret)) this.#problem(`a secret of ${id} is not alphanumeric: the scan cannot look for it`)
      }
      this.#tracked.set(id, {
        id,
        sandboxLibraryId: credentials.id,
        clientId: credentials.clientId,
        scopes: credentials.scopes,
        family: credentials.familyId,
        acceptable: new Set([secretFingerprint(credentials.refreshToken)]),
        lastReceived: null,
        reauthFingerprint: null,
        open: false,
        openAtKill: false,
        dead: null,
        marked: false,
        reauthFamily: null,
        earliestNext: null,
        earliestWhy: '',
        attemptedInFinalRound: false
      })
    }
    await vault.close()
  }

  #injectFaults(): void {
    const r = this.#rates
    const faults: [string, FaultSpec][] = [
      ['latency', { route: 'token', kind: 'latency', ms: r.latencyMs, probability: r.latency }],
      ['latency spike', { route: 'token', kind: 'latency', ms: r.spikeMs, probability: r.spike }],
      ['reset before commit', { route: 'token', kind: 'reset_before_commit', probability: r.resetBeforeCommit }],
      ['reset after commit', { route: 'token', kind: 'reset_after_commit', probability: r.resetAfterCommit }],
      ['5xx', { route: 'token', kind: 'status', status: 503, probability: r.serverError / 2 }],
      ['5xx ', { route: 'token', kind: 'status', status: 500, probability: r.serverError / 2 }],
      ['html', { route: 'token', kind: 'html', probability: r.html }],
      ['429', { route: 'token', kind: 'rate_limit', retryAfter: 30, probability: r.rateLimit }]
    ]
    for (const [name, spec] of faults) {
      if ((spec.probability ?? 1) > 0) this.#faultIds.set(this.#sb.faults.inject(spec), name.trim())
    }
  }

  #maybeBurst(refreshes: number): void {
    if (this.#rng() >= this.#rates.burstPerRefresh * refreshes) return
    const times = 3 + Math.floor(this.#rng() * 10)
    const retryAfter = 30 + Math.floor(this.#rng() * 91)
    const id = this.#sb.faults.inject({ route: 'token', kind: 'rate_limit', times, retryAfter })
    this.#bursts.push({ id, times })
  }

  #recordFaults(): void {
    const applied: Record<string, number> = {}
    const list = this.#sb.faults.list()
    for (const fault of list) {
      const name = this.#faultIds.get(fault.id)
      if (name !== undefined) applied[name] = (applied[name] ?? 0) + fault.applied
    }
    let burst = 0
    for (const { id, times } of this.#bursts) burst += list.find((f) => f.id === id)?.applied ?? times
    applied['429 burst'] = burst
    this.#faultsApplied = applied
  }

  #planKills(): void {
    const plans: KillPlan[] = []
    for (let k = 0; k < this.#options.kills; k++) {
      const atSend = Math.max(1, Math.floor((0.03 + 0.94 * this.#rng()) * this.#options.refreshes))
      const roll = this.#rng()
      const mode = roll < 0.4 ? 'recv' : roll < 0.8 ? 'send' : 'random'
      // After a send: mid-request (latency included). After a recv: while the new pair is sealed and written.
      const delayMs = mode === 'recv' ? Math.floor(this.#rng() * 9) : mode === 'send' ? Math.floor(this.#rng() * 5) : Math.floor(this.#rng() * 30)
      plans.push({ atSend, mode, delayMs })
    }
    this.#killPlan = plans.sort((a, b) => a.atSend - b.atSend)
  }

  // ── the process ──────────────────────────────────────────────────────────────────────────────────────

  async #start(): Promise<void> {
    const generation = ++this.#generation
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LARDER_CHAOS_DIR: this.#dir,
      LARDER_CHAOS_PASSPHRASE: PASSPHRASE,
      LARDER_CHAOS_SANDBOX_URL: this.#sb.url,
      LARDER_CHAOS_NOW: String(this.#childNow),
      LARDER_CHAOS_SEED: String((this.#options.seed * 7919 + generation) >>> 0)
    }
    // A new process: no refresh of the old one is in flight, and the backoff it kept in memory is gone.
    for (const library of this.#tracked.values()) {
      library.earliestNext = null
      if (library.dead !== null) {
        library.dead.sends = 0
        library.dead.verdicts = 0
        this.#deadLifetimes.set(library.dead.family, (this.#deadLifetimes.get(library.dead.family) ?? 0) + 1)
      }
    }
    const child = new LarderProcess(
      generation,
      env,
      (words, from) => this.#onLine(words, from),
      (text) => {
        this.#output += text
      }
    )
    this.#child = child
    this.#storeLoads += 2
    await child.expect((w) => w[0] === 'ready', READY_TIMEOUT_MS, 'ready')
    for (const library of this.#tracked.values()) library.openAtKill = false
  }

  /** After the process died: a kill of ours is followed by a restart; anything else ends the run. */
  async #afterDeath(): Promise<boolean> {
    const child = this.#child
    if (child === null) return false
    const exit = await child.closed
    this.#child = null
    for (const library of this.#tracked.values()) {
      library.openAtKill = library.open
      library.open = false
    }
    if (!child.killedByUs || exit.signal !== 'SIGKILL') {
      if (exit.code === 3) this.#storeLoadFailures++
      this.#problem(`the Larder process ${child.generation} ended on its own (code ${exit.code}, signal ${exit.signal}):\n${child.stderr.slice(-2000)}`)
      return false
    }
    // A request cut off by the kill may still sit in the sandbox's latency sleep and commit when it wakes:
    // let it, before the new process asks the server about its stored tokens.
    await sleep(this.#rates.latencyMs + this.#rates.spikeMs + 100)
    return true
  }

  /** One step of the working day: awake, the clock advances; after 18:00 the machine sleeps until 09:00. */
  async #step(): Promise<void> {
    const child = this.#child
    if (child === null) throw new ChildGone('no Larder process')
    const timeOfDay = (((this.#childNow - START_TIME) % DAY) + DAY) % DAY
    const command =
      timeOfDay < AWAKE_MS ? `advance ${Math.ceil(Math.min(AWAKE_STEP_MS, AWAKE_MS - timeOfDay))}` : `sleep ${Math.ceil(DAY - timeOfDay)}`
    const words = await child.request(command, (w) => w[0] === 'advanced', command)
    this.#childNow = Math.max(this.#childNow, ms(words[1]) ?? this.#childNow)
    // Tokens issued between steps (re-authorization) are issued at Larder's time.
    if (this.#sb.clock.now() < this.#childNow) this.#sb.clock.set(this.#childNow)
  }

  async #reauthorizeMarked(): Promise<void> {
    const child = this.#child
    if (child === null) throw new ChildGone('no Larder process')
    const waiting: Promise<readonly string[]>[] = []
    for (const library of this.#tracked.values()) {
      if (!library.marked || library.reauthFamily !== null) continue
      // The customer issues a new token pair for the library (a new family) and it is entered in Larder.
      const pair = this.#sb.issueTokenPair({
        clientId: library.clientId,
        kind: 'service_account',
        libraryId: library.sandboxLibraryId,
        scopes: library.scopes
      })
      this.#secrets.addSecret(pair.accessToken)
      this.#secrets.addSecret(pair.refreshToken)
      library.reauthFamily = pair.familyId
      library.reauthFingerprint = secretFingerprint(pair.refreshToken)
      library.acceptable.add(library.reauthFingerprint)
      const id = library.id
      waiting.push(
        child.request(
          `reauth ${id} ${pair.expiresIn} ${pair.scopes.join(',')} ${pair.accessToken} ${pair.refreshToken}`,
          (w) => w[0] === 'reauthed' && w[1] === id,
          `reauth ${id}`
        )
      )
    }
    const outcomes = await Promise.allSettled(waiting)
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') throw outcome.reason
    }
  }

  #disarmKills(): void {
    this.#killPlan = []
    this.#armed = null
    this.#awaitingRecv = false
    if (this.#killTimer !== null) clearTimeout(this.#killTimer)
    this.#killTimer = null
  }

  #killIn(delayMs: number, child: LarderProcess): void {
    this.#awaitingRecv = false
    this.#killTimer = setTimeout(() => {
      this.#killTimer = null
      this.#armed = null
      if (child.gone || this.#child !== child) return
      this.#kills++
      child.kill()
    }, delayMs)
  }

  // ── what the process says ────────────────────────────────────────────────────────────────────────────

  #onLine(words: readonly string[], from: LarderProcess): void {
    if (from !== this.#child) return
    const [event, a, b, c, d] = words
    if (event === 'clock') {
      const at = ms(a)
      if (at === null) return this.#problem(`bad clock line: ${words.join(' ')}`)
      this.#childNow = Math.max(this.#childNow, at)
      if (at > this.#sb.clock.now()) this.#sb.clock.set(at)
      from.write(`synced ${at}`)
      return
    }
    if (event === 'tok') {
      const length = Number(a)
      if (b === undefined || !Number.isInteger(length)) return this.#problem(`bad tok line`)
      this.#secrets.add(length, b)
      return
    }
    if (event === 'tok-unscannable') return this.#problem('a token arrived that the secret scan cannot look for')
    if (event === 'ready' || event === 'advanced' || event === 'reauthed' || event === 'stopped') {
      if (event === 'reauthed') this.#onReauthed(a)
      return
    }
    if (event === 'load-failed') {
      this.#problem(`a store file failed to load: ${a ?? '?'} (${b ?? '?'})`)
      return
    }
    const library = a === undefined ? undefined : this.#tracked.get(a)
    if (library === undefined) return this.#problem(`unexpected line from the Larder process: ${words.slice(0, 3).join(' ')}`)
    switch (event) {
      case 'lib':
        return this.#onStartState(library, b, c, d)
      case 'send':
        return this.#onSend(library, ms(b), from)
      case 'poke':
        if (b === '1') this.#pokesShared++
        else this.#problem(`${library.id}: an extra trigger did not find the refresh in flight`)
        return
      case 'recv':
        if (b !== undefined) {
          library.lastReceived = b
          library.acceptable.add(b)
        }
        if (this.#awaitingRecv && this.#armed !== null) this.#killIn(this.#armed.delayMs, from)
        return
      case 'err':
        return this.#onError(library, b ?? '?', ms(d), ms(words[5]))
      case 'probe':
        if (b === '0') this.#markDead(library, 'answer lost')
        else if (b !== '1') this.#problem(`${library.id}: could not tell whether the server committed a rotation whose answer was lost`)
        return
      case 'ok':
        library.open = false
        if (library.lastReceived !== null) library.acceptable = new Set([library.lastReceived])
        library.lastReceived = null
        if (library.dead !== null) this.#problem(`${library.id}: refreshed although its refresh token was dead at the server`)
        return
      case 'fail':
        library.open = false
        return
      case 'needs-reauth':
        library.open = false
        return this.#onMarked(library, b ?? '?')
      default:
        this.#problem(`unexpected line from the Larder process: ${String(event)}`)
    }
  }

  #onSend(library: Tracked, at: number | null, from: LarderProcess): void {
    this.#sends++
    library.open = true
    if (this.#finalRound) library.attemptedInFinalRound = true
    if (library.marked) this.#problem(`${library.id}: its refresh token was sent after it was marked needs re-authorization`)
    if (at !== null && library.earliestNext !== null && at < library.earliestNext) {
      this.#retriesTooEarly++
      this.#problem(`${library.id}: retried at ${new Date(at).toISOString()}, before ${new Date(library.earliestNext).toISOString()} (${library.earliestWhy})`)
    }
    library.earliestNext = null
    if (library.dead !== null) {
      library.dead.sends++
      this.#mostPresentations = Math.max(this.#mostPresentations, library.dead.sends)
    }
    const plan = this.#killPlan[0]
    if (plan !== undefined && this.#armed === null && this.#sends >= plan.atSend) {
      this.#killPlan.shift()
      this.#armed = plan
      if (plan.mode === 'recv') this.#awaitingRecv = true
      else this.#killIn(plan.delayMs, from)
    }
  }

  #onError(library: Tracked, kind: string, at: number | null, retryAt: number | null): void {
    if (library.dead !== null && kind !== 'rate_limited' && !TRANSIENT.has(kind)) library.dead.verdicts++
    if (at === null) return
    if (kind === 'rate_limited') {
      const waitUntil = Math.max(retryAt ?? at + 60_000, at + 1_000)
      this.#shortest429 = Math.min(this.#shortest429 ?? Number.POSITIVE_INFINITY, waitUntil - at)
      library.earliestNext = waitUntil
      library.earliestWhy = `Retry-After of a 429 at ${new Date(at).toISOString()}`
    } else if (TRANSIENT.has(kind)) {
      library.earliestNext = at + DEFAULT_BACKOFF.baseMs / 2
      library.earliestWhy = `backoff after ${kind} at ${new Date(at).toISOString()}`
    }
  }

  #markDead(library: Tracked, cause: DeadToken['cause']): void {
    if (library.dead !== null) return
    library.dead = { cause, family: library.family, sends: 0, verdicts: 0 }
    this.#deadLifetimes.set(library.family, (this.#deadLifetimes.get(library.family) ?? 0) + 1)
    // ('unexplained' deaths are counted as lost where they are found)
    if (cause === 'answer lost') this.#committedAnswerLost++
    else if (cause === 'killed') this.#committedKilled++
  }

  #onMarked(library: Tracked, kind: string): void {
    this.#marks++
    if (library.dead === null) {
      this.#lost++
      this.#problem(`${library.id}: marked needs re-authorization (${kind}) although no rotation of it was committed and left unanswered`)
    } else {
      this.#mostAttempts = Math.max(this.#mostAttempts, library.dead.verdicts)
      if (library.dead.verdicts > 1) {
        this.#problem(`${library.id}: its dead refresh token was judged ${library.dead.verdicts} times by the server before it was marked`)
      }
      library.dead = null
    }
    library.marked = true
  }

  #onReauthed(id: string | undefined): void {
    const library = id === undefined ? undefined : this.#tracked.get(id)
    if (library === undefined || library.reauthFamily === null) return this.#problem(`unexpected reauthed line for ${id ?? '?'}`)
    library.family = library.reauthFamily
    library.reauthFamily = null
    if (library.reauthFingerprint !== null) library.acceptable = new Set([library.reauthFingerprint])
    library.reauthFingerprint = null
    library.marked = false
    library.dead = null
    this.#reauthorized++
  }

  /** A new process says what it found on disk and what the server thinks of each stored access token. */
  #onStartState(library: Tracked, state: string | undefined, accepted: string | undefined, fingerprint: string | undefined): void {
    const writeLost = fingerprint === undefined || !library.acceptable.has(fingerprint)
    if (writeLost) {
      this.#lost++
      this.#problem(`${library.id}: the vault holds a refresh token older than its newest durable one (a durable write was lost)`)
    }
    library.lastReceived = null
    if (state === 'needs_reauth') {
      library.reauthFingerprint = null
      if (fingerprint !== undefined) library.acceptable = new Set([fingerprint])
      library.reauthFamily = null // if one was on its way, it never became durable
      if (!library.marked) this.#onMarked(library, 'found marked at start')
      return
    }
    if (state !== 'active') return this.#problem(`${library.id}: found ${state ?? '?'} at start`)
    if (library.reauthFamily !== null) {
      // The re-authorization became durable, but the process died before it said so (or it never arrived).
      if (fingerprint === library.reauthFingerprint) this.#onReauthed(library.id)
      library.reauthFamily = null
      library.reauthFingerprint = null
    }
    if (fingerprint !== undefined) library.acceptable = new Set([fingerprint])
    if (library.marked) return this.#problem(`${library.id}: was marked needs re-authorization, yet is active at start`)
    if (accepted === '1') {
      if (library.dead !== null) this.#problem(`${library.id}: thought dead (${library.dead.cause}), yet the server accepts its stored pair`)
      return
    }
    if (accepted !== '0') return this.#problem(`${library.id}: could not ask the server about its stored token at start`)
    if (library.dead !== null) return
    if (library.openAtKill && !writeLost) {
      this.#markDead(library, 'killed')
      return
    }
    if (!writeLost) {
      this.#lost++
      this.#problem(`${library.id}: its stored token is dead at the server although no refresh of it was in flight`)
    }
    this.#markDead(library, 'unexplained')
  }

  #answered(): number {
    const hits = this.#sb.counters.hits
    for (; this.#hitsScanned < hits.length; this.#hitsScanned++) {
      const hit = hits[this.#hitsScanned]
      if (hit !== undefined && hit.route === 'token' && hit.status === 200) this.#answeredSeen++
    }
    return this.#answeredSeen
  }

  // ── the end ──────────────────────────────────────────────────────────────────────────────────────────

  async #finish(state: { timedOut: boolean; aborted: boolean; finalRoundDone: boolean }): Promise<ChaosResult> {
    const sandbox = this.#sb
    const refreshesDone = this.#answered()
    const tokenHits = sandbox.counters.hits.filter((hit) => hit.route === 'token')
    const maxConcurrent = sandbox.counters.maxConcurrentRefreshesByFamily()
    const maxPerMinute = sandbox.counters.maxRequestsPerFamilyPerMinute()

    // A dead refresh token is presented at most once per process that knew nothing better.
    for (const [family, lifetimes] of this.#deadLifetimesByRejections(tokenHits)) {
      this.#problem(`family ${family}: its dead refresh token was presented ${lifetimes.rejected} times, more than once per process (${lifetimes.allowed})`)
    }

    // Every store file opens: the vault, its last good backup, the audit trail.
    let healthy = 0
    let needsReauthAtEnd = 0
    if (state.finalRoundDone) {
      if (sandbox.clock.now() < this.#childNow) sandbox.clock.set(this.#childNow)
      const vault = await this.#load('vault', () => openAt(this.#dir, 'vault.json'))
      if (vault !== null) {
        const counted = await this.#checkFinalVault(vault)
        healthy = counted.healthy
        needsReauthAtEnd = counted.needsReauth
        await vault.close()
      }
      const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-chaos-bak-'))
      try {
        const backupFile = path.join(this.#dir, 'vault.json.bak')
        if (fs.existsSync(backupFile)) {
          fs.copyFileSync(backupFile, path.join(backupDir, 'vault.json'))
          const backup = await this.#load('vault backup', () => openAt(backupDir, 'vault.json'))
          if (backup !== null && backup.list().length !== this.#options.libraries) this.#problem(`the vault backup holds ${backup.list().length} libraries`)
          await backup?.close()
        } else {
          this.#problem('there is no last good backup of the vault')
        }
      } finally {
        fs.rmSync(backupDir, { recursive: true, force: true })
      }
      const audit = await this.#load('audit trail', async () => {
        const log = await openAuditLog({ path: path.join(this.#dir, 'audit.jsonl') })
        await log.page({ limit: 10 })
        return log
      })
      await audit?.close()
    }

    // Secrets in clear: every file under the data folder, and everything the Larder processes printed.
    const files = fs.readdirSync(this.#dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    const filesOpenToOthers = files.filter((e) => (fs.statSync(path.join(e.parentPath, e.name)).mode & 0o077) !== 0).length
    let bytesSearched = 0
    const inClear = new Set<string>()
    for (const entry of files) {
      const text = fs.readFileSync(path.join(entry.parentPath, entry.name), 'latin1')
      bytesSearched += text.length
      for (const found of this.#secrets.findIn(text)) inClear.add(found)
    }
    if (inClear.size > 0) this.#problem(`${inClear.size} secrets found in clear under the data folder`)
    const inOutput = this.#secrets.findIn(this.#output).size
    if (inOutput > 0) this.#problem(`${inOutput} secrets found in the Larder processes' output`)

    const pending = [...this.#tracked.values()].filter((l) => l.dead !== null)
    for (const library of pending) {
      this.#lost++
      this.#problem(`${library.id}: its refresh token is dead at the server (${library.dead?.cause ?? '?'}) and it is not marked needs re-authorization`)
    }

    const committedUnanswered = this.#committedAnswerLost + this.#committedKilled
    const figures: ChaosFigures = {
      seed: this.#options.seed,
      libraries: this.#options.libraries,
      refreshesTarget: this.#options.refreshes,
      refreshesDone,
      tokenRequests: tokenHits.length,
      faultsApplied: this.#faultsApplied,
      rateLimitBursts: this.#bursts.length,
      killsPlanned: this.#options.kills,
      kills: this.#kills,
      committedUnanswered,
      committedUnansweredAnswerLost: this.#committedAnswerLost,
      committedUnansweredKilled: this.#committedKilled,
      needsReauthMarks: this.#marks,
      mostAttemptsBeforeMark: this.#mostAttempts,
      mostPresentationsBeforeMark: this.#mostPresentations,
      reauthorized: this.#reauthorized,
      healthyAtEnd: healthy,
      needsReauthAtEnd,
      lost: this.#lost,
      maxConcurrentRefreshesPerFamily: maxConcurrent,
      maxRequestsPerTokenPerMinute: maxPerMinute,
      retriesTooEarly: this.#retriesTooEarly,
      shortestWaitAfter429Ms: this.#shortest429,
      extraTriggersShared: this.#pokesShared,
      storeLoads: this.#storeLoads,
      storeFilesFailedToLoad: this.#storeLoadFailures,
      secretsSearched: this.#secrets.size,
      filesSearched: files.length,
      bytesSearched,
      secretsInClear: inClear.size,
      secretsInOutput: inOutput,
      filesOpenToOthers,
      simulatedDays: (this.#childNow - START_TIME) / DAY,
      wallMs: Date.now() - this.#startedAt,
      timedOut: state.timedOut,
      dataDir: this.#options.keepDataDir === true ? this.#dir : null
    }

    const checks: ChaosCheck[] = [
      check('refresh tokens lost', figures.lost === 0, `${figures.lost}`),
      check(
        'committed-unanswered marked needs re-authorization within one attempt',
        pending.length === 0 && figures.mostAttemptsBeforeMark <= 1,
        `${committedUnanswered} (answer lost ${figures.committedUnansweredAnswerLost}, killed before durable ${figures.committedUnansweredKilled}); most attempts before the mark: ${figures.mostAttemptsBeforeMark}`
      ),
      check('largest number of concurrent refreshes of one token family ≤ 1', maxConcurrent <= 1, `${maxConcurrent}`),
      check('largest number of requests per token per minute ≤ 100', maxPerMinute <= 100, `${maxPerMinute}`),
      check('store files that failed to load', figures.storeFilesFailedToLoad === 0, `${figures.storeFilesFailedToLoad} of ${figures.storeLoads} loads`),
      check('secrets found in clear under the data folder', figures.secretsInClear === 0, `${figures.secretsInClear} (${figures.secretsSearched} secrets searched in ${figures.filesSearched} files)`),
      check('secrets in the Larder processes\' output', inOutput === 0, `${inOutput}`),
      check('retries before their backoff or Retry-After', figures.retriesTooEarly === 0, `${figures.retriesTooEarly}`),
      check('store files readable by others', filesOpenToOthers === 0, `${filesOpenToOthers}`),
      check('kills done', figures.kills === figures.killsPlanned, `${figures.kills} of ${figures.killsPlanned}`),
      check(
        'refreshes done',
        refreshesDone >= this.#options.refreshes && !state.timedOut && state.finalRoundDone,
        `${refreshesDone} of ${this.#options.refreshes}${state.timedOut ? ` (stopped by the ${this.#options.timeLimitMs} ms time limit)` : ''}${state.finalRoundDone ? '' : ' (no final round)'}`
      ),
      check('no other surprises', this.#problemCount === 0, `${this.#problemCount} problems`)
    ]
    return { figures, checks, problems: [...this.#problems], ok: checks.every((c) => c.ok) }
  }

  #deadLifetimesByRejections(tokenHits: readonly { familyId: string | null; status: number }[]): Map<string, { rejected: number; allowed: number }> {
    const rejected = new Map<string, number>()
    for (const hit of tokenHits) {
      if (hit.status === 400 && hit.familyId !== null) rejected.set(hit.familyId, (rejected.get(hit.familyId) ?? 0) + 1)
    }
    const over = new Map<string, { rejected: number; allowed: number }>()
    for (const [family, count] of rejected) {
      const allowed = this.#deadLifetimes.get(family) ?? 0
      if (count > allowed) over.set(family, { rejected: count, allowed })
    }
    return over
  }

  async #load<T>(what: string, open: () => Promise<T>): Promise<T | null> {
    this.#storeLoads++
    try {
      return await open()
    } catch (error) {
      this.#storeLoadFailures++
      this.#problem(`${what} failed to load: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`)
      return null
    }
  }

  /** Every library is healthy with its family's newest token, or marked needs re-authorization for a reason. */
  async #checkFinalVault(vault: Vault): Promise<{ healthy: number; needsReauth: number }> {
    const api = createApicbaseClient()
    let healthy = 0
    let needsReauth = 0
    try {
      for (const library of this.#tracked.values()) {
        const meta = vault.get(library.id)
        if (meta === undefined) {
          this.#problem(`${library.id}: missing from the vault at the end`)
          continue
        }
        const secrets = await vault.secrets(library.id)
        if (!library.acceptable.has(secretFingerprint(secrets.refreshToken))) {
          this.#lost++
          this.#problem(`${library.id}: the vault holds a refresh token other than its newest durable one`)
        }
        for (const secret of [secrets.clientSecret, secrets.accessToken, secrets.refreshToken]) this.#secrets.addSecret(secret)
        const answer = await api.introspect(
          { baseUrl: meta.apiBaseUrl, libraryName: meta.name, rateKey: library.id },
          { clientId: meta.clientId, clientSecret: secrets.clientSecret },
          secrets.accessToken
        )
        const works = answer?.active === true
        if (meta.tokenState === 'active') {
          if (works) healthy++
          else if (library.dead === null) {
            // (a dead one that is known is counted with the pending ones)
            this.#lost++
            this.#problem(`${library.id}: looks healthy, but the server no longer accepts its stored pair`)
          }
        } else if (meta.tokenState === 'needs_reauth') {
          needsReauth++
          if (!library.marked) this.#problem(`${library.id}: needs re-authorization at the end, but the run never saw it marked`)
          if (works) {
            this.#lost++
            this.#problem(`${library.id}: marked needs re-authorization, yet the server still accepts its stored pair`)
          }
        } else {
          this.#problem(`${library.id}: ${meta.tokenState} at the end`)
        }
      }
    } finally {
      await api.close()
    }
    return { healthy, needsReauth }
  }
}


async function openAt(dir: string, file: string): Promise<Vault> {
  const vaultPath = path.join(dir, file)
  const header = readVaultHeader(vaultPath)
  if (header === null) throw new Error(`no vault at ${vaultPath}`)
  const { cipher } = await createPassphraseCipher(PASSPHRASE, header.cipher)
  return openVault({ path: vaultPath, openStore: () => new Conf({ cwd: dir, configName: path.basename(file, '.json'), configFileMode: 0o600 }), cipher })
}
