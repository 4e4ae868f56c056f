// The kill/restart loop's side of the chaos run: starts a Larder process on the data folder with the time the
// previous one reached, drives it through the partner's working day, hands it re-authorizations, kills it at the
// planned moments (kill-switch.ts) and tells a kill of ours from a death of its own. Every line it prints goes to
// the ledger; the sandbox's clock follows the process's.
import { execFile } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import type { Sandbox } from '../sandbox/index.ts'
import { KillSwitch, type KillPlan } from './kill-switch.ts'
import { ChildGone, LarderProcess } from './larder-process.ts'
import type { Ledger } from './ledger.ts'
import { AWAKE_MS, AWAKE_STEP_MS, DAY, PASSPHRASE, READY_TIMEOUT_MS, START_TIME, type ChaosHost } from './run-settings.ts'
import { secretFingerprint } from './secret-scan.ts'

export interface DriverSetup {
  readonly sandbox: Sandbox
  readonly dir: string
  readonly ledger: Ledger
  readonly seed: number
  readonly killPlan: readonly KillPlan[]
  /** After a kill: long enough for a request cut off by it to wake from the sandbox's latency sleep and commit. */
  readonly settleAfterKillMs: number
  readonly host: ChaosHost
}

/** The `larder` command from source, as bin/larder.js runs it without a build. */
const LARDER_CLI = fileURLToPath(new URL('../../src/main/cli/run.ts', import.meta.url))
const LS_TIMEOUT_MS = 30_000

/** An epoch time (or '-') from a line of the Larder process. */
function parseMs(text: string | undefined): number | null {
  if (text === undefined || text === '-') return null
  const value = Number(text)
  return Number.isFinite(value) ? value : null
}

export class LarderDriver {
  readonly #setup: DriverSetup
  readonly #ledger: Ledger
  readonly #sandbox: Sandbox
  readonly #killSwitch: KillSwitch
  #child: LarderProcess | null = null
  #generation = 0
  #now = START_TIME
  #output = ''
  #starts = 0
  #listed = 0

  constructor(setup: DriverSetup) {
    this.#setup = setup
    this.#ledger = setup.ledger
    this.#sandbox = setup.sandbox
    this.#killSwitch = new KillSwitch(setup.killPlan, () => this.#child)
  }

  /** The time the Larder processes have reached; it only moves forward. */
  get now(): number {
    return this.#now
  }

  /** Everything the Larder processes printed (for the secret scan). */
  get output(): string {
    return this.#output
  }

  get running(): boolean {
    return this.#child !== null
  }

  get kills(): number {
    return this.#killSwitch.kills
  }

  /** Processes started, and (agent) starts after which `larder ls --json` listed every library. */
  get terminal(): { readonly starts: number; readonly listed: number } {
    return { starts: this.#starts, listed: this.#listed }
  }

  disarmKills(): void {
    this.#killSwitch.disarm()
  }

  async start(): Promise<void> {
    const generation = ++this.#generation
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LARDER_CHAOS_DIR: this.#setup.dir,
      LARDER_CHAOS_PASSPHRASE: PASSPHRASE,
      LARDER_CHAOS_SANDBOX_URL: this.#sandbox.url,
      LARDER_CHAOS_NOW: String(this.#now),
      LARDER_CHAOS_SEED: String((this.#setup.seed * 7919 + generation) >>> 0),
      LARDER_CHAOS_HOST: this.#setup.host
    }
    this.#ledger.processStarting()
    const child = new LarderProcess(
      generation,
      env,
      (words, from) => this.#onLine(words, from),
      (text) => {
        this.#output += text
      }
    )
    this.#child = child
    // The vault and the audit trail.
    this.#ledger.counts.storeLoads += 2
    await child.expect((w) => w[0] === 'ready', READY_TIMEOUT_MS, 'ready')
    this.#ledger.processReady()
    this.#starts++
    if (this.#setup.host === 'agent') await this.#listFromTerminal()
  }

  /** `larder ls --json` against the agent just started (after a SIGKILL: on the socket it took over). */
  async #listFromTerminal(): Promise<void> {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--no-warnings', LARDER_CLI, 'ls', '--json', '--data-dir', this.#setup.dir],
        { timeout: LS_TIMEOUT_MS },
        (error, out, err) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout: out, stderr: err })
      )
    })
    this.#output += stdout + stderr
    const start = `start ${this.#starts}`
    if (code !== 0) return this.#ledger.problem(`larder ls after ${start} exited ${code}: ${stderr.trim().slice(0, 300)}`)
    let ids: Set<string>
    try {
      ids = new Set((JSON.parse(stdout) as { id: string }[]).map((row) => row.id))
    } catch {
      return this.#ledger.problem(`larder ls --json after ${start} printed no JSON list`)
    }
    const missing = [...this.#ledger.tracked.keys()].filter((id) => !ids.has(id))
    if (missing.length > 0 || ids.size !== this.#ledger.tracked.size) {
      return this.#ledger.problem(`larder ls after ${start} listed ${ids.size} libraries of ${this.#ledger.tracked.size}; missing ${missing.slice(0, 5).join(', ')}`)
    }
    this.#listed++
  }

  /** After the process died: a kill of ours is followed by a restart (true); anything else ends the run. */
  async afterDeath(): Promise<boolean> {
    const child = this.#child
    if (child === null) return false
    const exit = await child.closed
    this.#child = null
    this.#ledger.processDied()
    if (!child.killedByUs || exit.signal !== 'SIGKILL') {
      if (exit.code === 3) this.#ledger.counts.storeLoadFailures++
      this.#ledger.problem(`the Larder process ${child.generation} ended on its own (code ${exit.code}, signal ${exit.signal}):\n${child.stderr.slice(-2000)}`)
      return false
    }
    // A request cut off by the kill may still sit in the sandbox's latency sleep and commit when it wakes:
    // let it, before the new process asks the server about its stored tokens.
    await sleep(this.#setup.settleAfterKillMs)
    return true
  }

  /** One step of the working day: awake, the clock advances; after 18:00 the machine sleeps until 09:00. */
  async step(): Promise<void> {
    const child = this.#child
    if (child === null) throw new ChildGone('no Larder process')
    const timeOfDay = (((this.#now - START_TIME) % DAY) + DAY) % DAY
    const command =
      timeOfDay < AWAKE_MS ? `advance ${Math.ceil(Math.min(AWAKE_STEP_MS, AWAKE_MS - timeOfDay))}` : `sleep ${Math.ceil(DAY - timeOfDay)}`
    const words = await child.request(command, (w) => w[0] === 'advanced', command)
    this.#now = Math.max(this.#now, parseMs(words[1]) ?? this.#now)
    // Tokens issued between steps (re-authorization) are issued at Larder's time.
    if (this.#sandbox.clock.now() < this.#now) this.#sandbox.clock.set(this.#now)
  }

  /** The customer issues a new token pair (a new family) for every marked library and it is entered in Larder. */
  async reauthorizeMarked(): Promise<void> {
    const child = this.#child
    if (child === null) throw new ChildGone('no Larder process')
    const waiting: Promise<readonly string[]>[] = []
    for (const library of this.#ledger.tracked.values()) {
      if (!library.marked || library.reauthFamily !== null) continue
      const pair = this.#sandbox.issueTokenPair({
        clientId: library.clientId,
        kind: 'service_account',
        libraryId: library.sandboxLibraryId,
        scopes: library.scopes
      })
      this.#ledger.secrets.addSecret(pair.accessToken)
      this.#ledger.secrets.addSecret(pair.refreshToken)
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

  /** Quits the process as the app does; an unclean exit is a problem. */
  async stop(): Promise<void> {
    const child = this.#child
    if (child === null) throw new Error('no Larder process for the final round')
    await child.request('stop', (w) => w[0] === 'stopped', 'stop')
    const exit = await child.closed
    if (exit.code !== 0) this.#ledger.problem(`the Larder process did not stop cleanly (code ${exit.code}, signal ${exit.signal}):\n${child.stderr}`)
    this.#child = null
  }

  /** The run is over, however it ended: no kill pending, no process left behind. */
  async close(): Promise<void> {
    this.disarmKills()
    if (this.#child !== null && !this.#child.gone) {
      this.#child.kill()
      await this.#child.closed
    }
  }

  #onLine(words: readonly string[], from: LarderProcess): void {
    if (from !== this.#child) return
    const ledger = this.#ledger
    const [event, a, b, c, d] = words
    if (event === 'clock') {
      const at = parseMs(a)
      if (at === null) return ledger.problem(`bad clock line: ${words.join(' ')}`)
      this.#now = Math.max(this.#now, at)
      if (at > this.#sandbox.clock.now()) this.#sandbox.clock.set(at)
      from.write(`synced ${at}`)
      return
    }
    if (event === 'tok') {
      const length = Number(a)
      if (b === undefined || !Number.isInteger(length)) return ledger.problem(`bad tok line`)
      ledger.secrets.add(length, b)
      return
    }
    if (event === 'tok-unscannable') return ledger.problem('a token arrived that the secret scan cannot look for')
    if (event === 'ready' || event === 'advanced' || event === 'reauthed' || event === 'stopped') {
      if (event === 'reauthed') ledger.onReauthed(a)
      return
    }
    if (event === 'load-failed') {
      ledger.problem(`a store file failed to load: ${a ?? '?'} (${b ?? '?'})`)
      return
    }
    const library = a === undefined ? undefined : ledger.tracked.get(a)
    if (library === undefined) return ledger.problem(`unexpected line from the Larder process: ${words.slice(0, 3).join(' ')}`)
    switch (event) {
      case 'lib':
        return ledger.onStartState(library, b, c, d)
      case 'send':
        ledger.onSend(library, parseMs(b))
        return this.#killSwitch.onSend(from)
      case 'poke':
        return ledger.onPoke(library, b)
      case 'recv':
        ledger.onReceived(library, b)
        return this.#killSwitch.onRecv(from)
      case 'err':
        return ledger.onError(library, b ?? '?', parseMs(d), parseMs(words[5]))
      case 'probe':
        return ledger.onProbe(library, b)
      case 'ok':
        return ledger.onRefreshed(library)
      case 'fail':
        return ledger.onFailed(library)
      case 'needs-reauth':
        return ledger.onNeedsReauth(library, b ?? '?')
      default:
        ledger.problem(`unexpected line from the Larder process: ${String(event)}`)
    }
  }
}
