// The team members of the team-agents chaos run: one real Larder process per member (larder-child.ts as `larder
// agent` runs the app: LARDER_CHAOS_HOST=agent), each on its own data folder, all on one clock this driver moves
// (time travel: every member is brought to the same time, step by step). A member is SIGKILLed at planned moments (the one
// sending a step's n-th token request, right after it: mid-refresh; or a given one a little into the step) and started
// again on its folder at once (the others may be waiting for it: a family it was refreshing is its to settle), at the
// time the others reached; the next step brings it to the same time as them. The sandbox's clock follows the members'; every line goes to the ledger.
import { setTimeout as sleep } from 'node:timers/promises'
import type { Sandbox } from '../../sandbox/index.ts'
import { ChildGone, LarderProcess } from '../larder-process.ts'
import { AWAKE_MS, AWAKE_STEP_MS, DAY, PASSPHRASE, READY_TIMEOUT_MS, START_TIME } from '../run-settings.ts'
import type { AgentsLedger } from './agents-ledger.ts'
import { PairTimes } from './pair-times.ts'

export interface KillAt {
  /** The member that sends the step's n-th token request is killed this many ms after it (mid-refresh)… */
  readonly afterSends: number
  readonly delayMs: number
  /** …or this member this long into the step, if that request does not come first. */
  readonly member: number
  readonly fallbackMs: number
}

interface Slot {
  readonly index: number
  readonly dir: string
  child: LarderProcess | null
  generation: number
  /** The time this member's clock reached. */
  now: number
}

export class AgentsDriver {
  readonly #slots: Slot[]
  readonly #sandbox: Sandbox
  readonly #ledger: AgentsLedger
  readonly #seed: number
  readonly #settleAfterKillMs: number
  #now = START_TIME
  #output = ''
  #armed: (KillAt & { sends: number; timer: ReturnType<typeof setTimeout> | null }) | null = null
  readonly #restarts = new Set<Promise<void>>()
  /** How soon each pair reached the other members. */
  readonly times: PairTimes
  kills = 0
  starts = 0
  /** A member ended on its own (not our kill): the run stops. */
  broken: string | null = null

  constructor(setup: { readonly dirs: readonly string[]; readonly sandbox: Sandbox; readonly ledger: AgentsLedger; readonly seed: number; readonly settleAfterKillMs: number }) {
    this.#slots = setup.dirs.map((dir, index) => ({ index, dir, child: null, generation: 0, now: START_TIME }))
    this.#sandbox = setup.sandbox
    this.#ledger = setup.ledger
    this.#seed = setup.seed
    this.#settleAfterKillMs = setup.settleAfterKillMs
    this.times = new PairTimes(setup.dirs.length)
  }

  get now(): number {
    return this.#now
  }

  /** Everything the members printed (for the secret scan). */
  get output(): string {
    return this.#output
  }

  get dirs(): string[] {
    return this.#slots.map((slot) => slot.dir)
  }

  /** Starts every member not running, together (a line before its waiter would be missed, so each waits at once). */
  async startAll(): Promise<void> {
    await Promise.all(this.#slots.filter((slot) => slot.child === null).map((slot) => this.#start(slot)))
  }

  async #start(slot: Slot): Promise<void> {
    slot.generation++
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LARDER_CHAOS_HOST: 'agent',
      LARDER_CHAOS_DIR: slot.dir,
      LARDER_CHAOS_PASSPHRASE: PASSPHRASE,
      LARDER_CHAOS_SANDBOX_URL: this.#sandbox.url,
      LARDER_CHAOS_NOW: String(this.#now),
      LARDER_CHAOS_SEED: String((this.#seed * 7919 + slot.index * 101 + slot.generation) >>> 0)
    }
    const child = new LarderProcess(slot.generation, env, (words, from) => this.#onLine(slot, words, from), (text) => {
      this.#output += text
    })
    slot.child = child
    slot.now = this.#now
    void child.closed.then((exit) => {
      if (!child.killedByUs && this.broken === null) this.broken = `member ${slot.index} (process ${child.generation}) ended on its own (code ${exit.code}, signal ${exit.signal}):\n${child.stderr.slice(-2000)}`
    })
    await child.expect((w) => w[0] === 'ready', READY_TIMEOUT_MS, `ready (member ${slot.index})`)
    this.starts++
  }

  /** After our kill: what it had in flight is noted, and once a request cut off by it could have committed, it starts again. */
  async #afterKill(slot: Slot, child: LarderProcess): Promise<void> {
    const exit = await child.closed
    if (slot.child === child) slot.child = null
    this.#ledger.memberKilled(slot.index)
    if (exit.signal !== 'SIGKILL') return
    // A request cut off by the kill may still sit in the sandbox's latency sleep and commit when it wakes.
    await sleep(this.#settleAfterKillMs)
    try {
      await this.#start(slot)
    } catch (error) {
      this.broken ??= `member ${slot.index} did not start again: ${error instanceof Error ? error.message : String(error)}`
    }
  }

  /** Member `kill.member` is SIGKILLed during the next step (after its n-th send, or a little into the step). */
  arm(kill: KillAt): void {
    this.#armed = { ...kill, sends: 0, timer: setTimeout(() => this.#killArmed(), kill.fallbackMs) }
  }

  disarm(): void {
    if (this.#armed?.timer) clearTimeout(this.#armed.timer)
    this.#armed = null
  }

  #killArmed(member?: number): void {
    const armed = this.#armed
    this.disarm()
    if (armed === null) return
    const child = this.#slots[member ?? armed.member]?.child
    const slot = this.#slots[member ?? armed.member]
    if (slot === undefined || child === null || child === undefined || child.gone) return
    child.kill()
    this.kills++
    const restart = this.#afterKill(slot, child)
    this.#restarts.add(restart)
    void restart.finally(() => this.#restarts.delete(restart))
  }

  /**
   * One step of the working day for every live member at once (awake: the clock advances up to 3 h; after 18:00 the
   * machines sleep until 09:00), with `alongside` (a database restart, dropped connections) under way meanwhile.
   * Members killed in it (or, when its planned kill did not come in it, right after it) are started again once a
   * request cut off by the kill could have committed.
   */
  async step(alongside: () => Promise<unknown> = () => Promise.resolve()): Promise<void> {
    const timeOfDay = (((this.#now - START_TIME) % DAY) + DAY) % DAY
    const awake = timeOfDay < AWAKE_MS
    const target = this.#now + Math.ceil(awake ? Math.min(AWAKE_STEP_MS, AWAKE_MS - timeOfDay) : DAY - timeOfDay)
    const live = this.#slots.filter((slot) => slot.child !== null && !slot.child.gone)
    const answers = live.map((slot) => {
      const command = `${awake ? 'advance' : 'sleep'} ${Math.max(0, target - slot.now)}`
      return (slot.child as LarderProcess).request(command, (w) => w[0] === 'advanced', `${command} (member ${slot.index})`).then((words) => {
        slot.now = Math.max(slot.now, Number(words[1]))
      })
    })
    const [outcomes] = await Promise.all([Promise.allSettled(answers), alongside()])
    // A step over before its kill came: the planned member is killed now, between steps.
    this.#killArmed()
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected' && !(outcome.reason instanceof ChildGone)) throw outcome.reason
    }
    // Every member killed in the step is back before the next.
    while (this.#restarts.size > 0) await Promise.all([...this.#restarts])
    this.#now = Math.max(this.#now, target)
    if (this.#sandbox.clock.now() < this.#now) this.#sandbox.clock.set(this.#now)
  }

  /** Quits every member as the app does; an unclean exit is a problem. */
  async stopAll(): Promise<void> {
    await Promise.all(
      this.#slots.map(async (slot) => {
        const child = slot.child
        if (child === null) return
        await child.request('stop', (w) => w[0] === 'stopped', `stop (member ${slot.index})`)
        const exit = await child.closed
        if (exit.code !== 0) this.#ledger.problem(`member ${slot.index} did not stop cleanly (code ${exit.code}):\n${child.stderr.slice(-1000)}`)
        slot.child = null
      })
    )
  }

  /** However the run ended: no kill pending, no process left behind. */
  async close(): Promise<void> {
    this.disarm()
    for (const slot of this.#slots) {
      if (slot.child !== null && !slot.child.gone) {
        slot.child.kill()
        await slot.child.closed
      }
      slot.child = null
    }
  }

  #onLine(slot: Slot, words: readonly string[], from: LarderProcess): void {
    if (from !== slot.child) return
    const [event, a, b] = words
    switch (event) {
      case 'clock': {
        const at = Number(a)
        if (!Number.isFinite(at)) return this.#ledger.problem(`member ${slot.index}: bad clock line`)
        this.#now = Math.max(this.#now, at)
        if (at > this.#sandbox.clock.now()) this.#sandbox.clock.set(at)
        from.write(`synced ${at}`)
        return
      }
      case 'tok': {
        const length = Number(a)
        if (b === undefined || !Number.isInteger(length)) return this.#ledger.problem('bad tok line')
        this.#ledger.base.secrets.add(length, b)
        return
      }
      case 'tok-unscannable':
        return this.#ledger.problem('a token arrived that the secret scan cannot look for')
      case 'ready':
        this.times.up(slot.index, Date.now())
        return
      case 'took':
        if (a !== undefined && words[4] !== undefined) this.#ledger.observed(a, words[4])
        this.times.onLine(slot.index, words)
        return
      case 'team':
      case 'stall':
        this.times.onLine(slot.index, words)
        return
      case 'advanced':
      case 'stopped':
        return
      case 'load-failed':
        return this.#ledger.problem(`member ${slot.index}: a store file failed to load: ${a ?? '?'} (${b ?? '?'})`)
      case 'send': {
        this.#ledger.onLine(slot.index, words)
        const armed = this.#armed
        if (armed !== null && ++armed.sends === armed.afterSends) {
          if (armed.timer) clearTimeout(armed.timer)
          armed.timer = setTimeout(() => this.#killArmed(slot.index), armed.delayMs)
        }
        return
      }
      default:
        this.times.onLine(slot.index, words)
        this.#ledger.onLine(slot.index, words)
    }
  }
}
