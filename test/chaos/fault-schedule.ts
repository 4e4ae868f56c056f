// The faults the chaos run injects at the sandbox's token endpoint: steady rates for the whole run, and bursts
// of 429s started between steps. Only the token endpoint: the introspection that tells committed from not
// committed must itself be reliable.
import type { FaultSpec, Sandbox } from '../sandbox/index.ts'

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

export class FaultSchedule {
  readonly #sandbox: Sandbox
  readonly #rates: FaultRates
  readonly #rng: () => number
  /** Sandbox fault id → the name it is reported under. */
  readonly #names = new Map<string, string>()
  readonly #bursts: { id: string; times: number }[] = []

  constructor(sandbox: Sandbox, rates: FaultRates, rng: () => number) {
    this.#sandbox = sandbox
    this.#rates = rates
    this.#rng = rng
  }

  get bursts(): number {
    return this.#bursts.length
  }

  injectSteady(): void {
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
      if ((spec.probability ?? 1) > 0) this.#names.set(this.#sandbox.faults.inject(spec), name.trim())
    }
  }

  /** After a step that got `refreshes` answers: perhaps a burst of 429s starts. */
  maybeBurst(refreshes: number): void {
    if (this.#rng() >= this.#rates.burstPerRefresh * refreshes) return
    const times = 3 + Math.floor(this.#rng() * 10)
    const retryAfter = 30 + Math.floor(this.#rng() * 91)
    const id = this.#sandbox.faults.inject({ route: 'token', kind: 'rate_limit', times, retryAfter })
    this.#bursts.push({ id, times })
  }

  /** How often each fault was applied so far, by reported name. */
  applied(): Record<string, number> {
    const applied: Record<string, number> = {}
    const list = this.#sandbox.faults.list()
    for (const fault of list) {
      const name = this.#names.get(fault.id)
      if (name !== undefined) applied[name] = (applied[name] ?? 0) + fault.applied
    }
    let burst = 0
    for (const { id, times } of this.#bursts) burst += list.find((f) => f.id === id)?.applied ?? times
    applied['429 burst'] = burst
    return applied
  }
}
