// Injected misbehaviour, per route. Decisions use a seeded RNG so a flaky-network run replays.

import type { HitRoute, RouteName } from './model.ts'
import { ROUTE_NAMES, SandboxError } from './model.ts'
import { createRng } from './rng.ts'

export type FaultKind =
  | 'latency'
  | 'status'
  | 'html'
  | 'truncated'
  | 'non_json'
  | 'oversized'
  | 'rate_limit'
  | 'reset_before_commit'
  | 'reset_after_commit'
const FAULT_KINDS: readonly FaultKind[] = [
  'latency',
  'status',
  'html',
  'truncated',
  'non_json',
  'oversized',
  'rate_limit',
  'reset_before_commit',
  'reset_after_commit'
]

export interface FaultSpec {
  route: RouteName | '*'
  kind: FaultKind
  /** Apply to the next N matching requests, then retire. Default: until cleared. */
  times?: number
  /** Chance (0..1) that each matching request is hit. Default 1. */
  probability?: number
  ms?: number
  status?: number
  retryAfter?: number
  bytes?: number
  /** Only requests of this token family (one library's pair; a rotation keeps it). Default: every request. */
  familyId?: string
}

export interface ActiveFault extends FaultSpec {
  id: string
  applied: number
}

/** What the pipeline should do to one request: wait, then maybe replace or disrupt the answer. */
export interface FaultDecision {
  delayMs: number
  outcome: ActiveFault | null
}

export interface Faults {
  inject(spec: FaultSpec): string
  clear(id?: string): void
  list(): ActiveFault[]
}

export interface FaultEngine extends Faults {
  /** `familyId`: the family the request was attributed to, null when none. */
  decide(route: HitRoute, familyId?: string | null): FaultDecision
}

export function createFaults(seed: number): FaultEngine {
  // A stream separate from the fixtures' so injecting faults never changes fixture tokens.
  const rng = createRng((seed ^ 0x9e3779b9) >>> 0)
  let active: ActiveFault[] = []
  let counter = 0

  return {
    inject(spec) {
      validate(spec)
      counter += 1
      const fault: ActiveFault = { ...spec, id: `fault-${counter}`, applied: 0 }
      active.push(fault)
      return fault.id
    },
    clear(id) {
      active = id === undefined ? [] : active.filter((f) => f.id !== id)
    },
    list: () => active.map((f) => ({ ...f })),
    decide(route, familyId = null) {
      let delayMs = 0
      let outcome: ActiveFault | null = null
      for (const fault of active) {
        if (fault.route !== '*' && fault.route !== route) continue
        if (fault.familyId !== undefined && fault.familyId !== familyId) continue
        const isLatency = fault.kind === 'latency'
        if (!isLatency && outcome !== null) continue // first disrupting fault wins
        if (fault.probability !== undefined && rng() >= fault.probability) continue
        fault.applied += 1
        if (isLatency) delayMs += fault.ms ?? 0
        else outcome = fault
      }
      active = active.filter((f) => f.times === undefined || f.applied < f.times)
      return { delayMs, outcome }
    }
  }
}

function validate(spec: FaultSpec): void {
  if (spec.route !== '*' && !ROUTE_NAMES.includes(spec.route)) throw new SandboxError(`unknown fault route '${String(spec.route)}'`)
  if (!FAULT_KINDS.includes(spec.kind)) throw new SandboxError(`unknown fault kind '${String(spec.kind)}'`)
  const checks: [keyof FaultSpec, (n: number) => boolean, string][] = [
    ['times', (n) => Number.isInteger(n) && n >= 1, 'a positive integer'],
    ['probability', (n) => n >= 0 && n <= 1, 'between 0 and 1'],
    ['ms', (n) => n >= 0, 'non-negative'],
    ['status', (n) => Number.isInteger(n) && n >= 400 && n <= 599, 'an HTTP error status (400-599)'],
    ['retryAfter', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer'],
    ['bytes', (n) => Number.isInteger(n) && n >= 16, 'an integer of at least 16']
  ]
  for (const [key, ok, expected] of checks) {
    const value = spec[key]
    if (value === undefined) continue
    if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
      throw new SandboxError(`fault ${key} must be ${expected}`)
    }
  }
  if (spec.familyId !== undefined && (typeof spec.familyId !== 'string' || spec.familyId === '')) throw new SandboxError('fault familyId must be a family id')
  if (spec.kind === 'latency' && spec.ms === undefined) throw new SandboxError('a latency fault needs ms')
}
