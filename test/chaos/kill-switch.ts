// When the chaos run SIGKILLs the Larder process: planned up front as "at the n-th token request of the run",
// then either a few ms after that send (mid-request), a few ms after the new pair arrived (while it is sealed and
// written), or a little later at random.
import type { LarderProcess } from './larder-process.ts'

export interface KillPlan {
  readonly atSend: number
  readonly mode: 'send' | 'recv' | 'random'
  readonly delayMs: number
}

export function planKills(kills: number, refreshes: number, rng: () => number): KillPlan[] {
  const plans: KillPlan[] = []
  for (let k = 0; k < kills; k++) {
    const atSend = Math.max(1, Math.floor((0.03 + 0.94 * rng()) * refreshes))
    const roll = rng()
    const mode = roll < 0.4 ? 'recv' : roll < 0.8 ? 'send' : 'random'
    // After a send: mid-request (latency included). After a recv: while the new pair is sealed and written.
    const delayMs = mode === 'recv' ? Math.floor(rng() * 9) : mode === 'send' ? Math.floor(rng() * 5) : Math.floor(rng() * 30)
    plans.push({ atSend, mode, delayMs })
  }
  return plans.sort((a, b) => a.atSend - b.atSend)
}

export class KillSwitch {
  #plan: KillPlan[]
  /** The plan whose send has come; its kill is timed or waits for the next recv. */
  #armed: KillPlan | null = null
  #awaitingRecv = false
  #timer: ReturnType<typeof setTimeout> | null = null
  #sends = 0
  #kills = 0
  /** The process the run drives now: a kill timed for an earlier one is dropped. */
  readonly #current: () => LarderProcess | null

  constructor(plan: readonly KillPlan[], current: () => LarderProcess | null) {
    this.#plan = [...plan]
    this.#current = current
  }

  get kills(): number {
    return this.#kills
  }

  /** A refresh token went out (the run's sends are counted across processes). */
  onSend(from: LarderProcess): void {
    this.#sends++
    const plan = this.#plan[0]
    if (plan !== undefined && this.#armed === null && this.#sends >= plan.atSend) {
      this.#plan.shift()
      this.#armed = plan
      if (plan.mode === 'recv') this.#awaitingRecv = true
      else this.#killIn(plan.delayMs, from)
    }
  }

  /** A new pair arrived (not yet durable). */
  onRecv(from: LarderProcess): void {
    if (this.#awaitingRecv && this.#armed !== null) this.#killIn(this.#armed.delayMs, from)
  }

  /** No more kills: the plan left is dropped, a timed one cancelled. */
  disarm(): void {
    this.#plan = []
    this.#armed = null
    this.#awaitingRecv = false
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
  }

  #killIn(delayMs: number, child: LarderProcess): void {
    this.#awaitingRecv = false
    this.#timer = setTimeout(() => {
      this.#timer = null
      this.#armed = null
      if (child.gone || this.#current() !== child) return
      this.#kills++
      child.kill()
    }, delayMs)
  }
}
