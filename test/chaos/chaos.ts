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
//
// This module runs the whole: setting up, the loop of steps until the target is reached, the final round.
//   run-settings.ts    the calendar, passphrase and options     prepare-vault.ts   the libraries in the vault
//   fault-schedule.ts  the faults at the token endpoint         kill-switch.ts     when the process is killed
//   larder-driver.ts   starting, driving and restarting it      ledger.ts          what is known of each library
//   tracked.ts         the record kept per library              vault-files.ts     opening the vault on disk
//   final-stores.ts    the store files at the end               final-report.ts    the figures and the checks
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startSandbox, type Sandbox } from '../sandbox/index.ts'
import { createRng } from '../sandbox/rng.ts'
import { DEFAULT_FAULT_RATES, FaultSchedule, type FaultRates } from './fault-schedule.ts'
import type { ChaosResult } from './figures.ts'
import { finishRun, type RunEnding } from './final-report.ts'
import { planKills } from './kill-switch.ts'
import { LarderDriver } from './larder-driver.ts'
import { ChildGone } from './larder-process.ts'
import { Ledger } from './ledger.ts'
import { prepareVault } from './prepare-vault.ts'
import { DAY, START_TIME, TOKEN_LIFETIME_MS, type ChaosOptions } from './run-settings.ts'

export { formatFigures, type ChaosCheck, type ChaosFigures, type ChaosResult } from './figures.ts'
export { DEFAULT_FAULT_RATES, type FaultRates } from './fault-schedule.ts'
export type { ChaosHost, ChaosOptions } from './run-settings.ts'

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

/** Token requests the server answered 200, counted from the sandbox's hits as they come. */
function answeredCounter(sandbox: Sandbox): () => number {
  let scanned = 0
  let answered = 0
  return () => {
    const hits = sandbox.counters.hits
    for (; scanned < hits.length; scanned++) {
      const hit = hits[scanned]
      if (hit !== undefined && hit.route === 'token' && hit.status === 200) answered++
    }
    return answered
  }
}

class ChaosRun {
  readonly #options: ChaosOptions
  readonly #rates: FaultRates
  readonly #rng: () => number
  readonly #log: (line: string) => void
  readonly #ledger = new Ledger()
  #sandbox: Sandbox | null = null
  #dir = ''
  #driver: LarderDriver | null = null

  constructor(options: ChaosOptions) {
    this.#options = options
    this.#rates = { ...DEFAULT_FAULT_RATES, ...options.faults }
    this.#rng = createRng(options.seed)
    this.#log = options.log ?? (() => undefined)
  }

  async cleanup(): Promise<void> {
    await this.#driver?.close()
    await this.#sandbox?.close()
    if (this.#dir !== '' && this.#options.keepDataDir !== true) fs.rmSync(this.#dir, { recursive: true, force: true })
  }

  async run(): Promise<ChaosResult> {
    const startedAt = Date.now()
    const { seed } = this.#options
    const sandbox = await startSandbox({ seed, startTime: START_TIME })
    this.#sandbox = sandbox
    this.#dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-chaos-'))
    const ledger = this.#ledger
    await prepareVault({ dir: this.#dir, sandbox, libraries: this.#options.libraries, rng: this.#rng, ledger })
    const faults = new FaultSchedule(sandbox, this.#rates, this.#rng)
    faults.injectSteady()
    const driver = new LarderDriver({
      sandbox,
      dir: this.#dir,
      ledger,
      seed,
      killPlan: planKills(this.#options.kills, this.#options.refreshes, this.#rng),
      settleAfterKillMs: this.#rates.latencyMs + this.#rates.spikeMs + 100,
      host: this.#options.host ?? 'engine'
    })
    this.#driver = driver
    const answered = answeredCounter(sandbox)

    let timedOut = false
    let aborted = false
    const deadline = startedAt + this.#options.timeLimitMs
    let nextReport = 0.1
    while (answered() < this.#options.refreshes) {
      if (Date.now() > deadline) {
        timedOut = true
        break
      }
      const answeredBefore = answered()
      try {
        if (!driver.running) await driver.start()
        await driver.step()
        await driver.reauthorizeMarked()
      } catch (error) {
        if (!(error instanceof ChildGone)) throw error
        if (!(await driver.afterDeath())) {
          aborted = true
          break
        }
        continue
      }
      faults.maybeBurst(answered() - answeredBefore)
      const done = answered() / Math.max(1, this.#options.refreshes)
      if (done >= nextReport) {
        const { committedAnswerLost, committedKilled } = ledger.counts
        this.#log(
          `  ${Math.round(done * 100)}%: ${answered()} refreshes, day ${((driver.now - START_TIME) / DAY).toFixed(1)}, ` +
            `${driver.kills} kills, ${committedAnswerLost + committedKilled} committed-unanswered, ${((Date.now() - startedAt) / 1000).toFixed(1)} s`
        )
        nextReport = Math.floor(done * 10) / 10 + 0.1
      }
    }

    // ── the end: faults cleared, no more kills, one more round so every library gets one attempt ──────────
    driver.disarmKills()
    const faultsApplied = faults.applied()
    sandbox.faults.clear()
    const finalRoundDone = !aborted && (await this.#finalRound(driver))
    const ending: RunEnding = { timedOut, aborted, finalRoundDone }
    return finishRun(
      {
        options: this.#options,
        sandbox,
        dir: this.#dir,
        ledger,
        refreshesDone: answered(),
        faultsApplied,
        rateLimitBursts: faults.bursts,
        kills: driver.kills,
        terminal: driver.terminal,
        reachedTime: driver.now,
        output: driver.output,
        startedAt
      },
      ending
    )
  }

  /** Without faults or kills, until every library had an attempt (or is marked); then the process quits. */
  async #finalRound(driver: LarderDriver): Promise<boolean> {
    const ledger = this.#ledger
    try {
      if (!driver.running) await driver.start()
      await driver.reauthorizeMarked()
      ledger.finalRound = true
      for (const library of ledger.tracked.values()) library.attemptedInFinalRound = false
      const finalStart = driver.now
      while (driver.now < finalStart + TOKEN_LIFETIME_MS + DAY) {
        await driver.step()
        if ([...ledger.tracked.values()].every((l) => l.attemptedInFinalRound || l.marked)) break
      }
      await driver.stop()
      const missed = [...ledger.tracked.values()].filter((l) => !l.attemptedInFinalRound && !l.marked).map((l) => l.id)
      if (missed.length > 0) ledger.problem(`the final round gave no attempt to ${missed.length} libraries: ${missed.slice(0, 5).join(', ')}`)
      return true
    } catch (error) {
      ledger.problem(`the final round failed: ${error instanceof Error ? error.message : String(error)}`)
      return false
    }
  }
}
