// Injected misbehaviour per route, in the spirit of ../faults.ts but for the provider fakes: latency (adds up), then at
// most one disruption (the first matching wins): an error status in the provider's own error shape, a proxy's HTML
// error page, or a connection reset. Each disruption stands for an edge answering in the service's place, so the
// request does not count as a use of the token.

import { SandboxError } from '../model.ts'

export type ProviderFaultKind = 'latency' | 'status' | 'html' | 'reset'
const KINDS: readonly ProviderFaultKind[] = ['latency', 'status', 'html', 'reset']

export interface ProviderFaultSpec<Route extends string> {
  /** A route name of the fake, or '*' for every request (unknown paths included). */
  route: Route | '*'
  kind: ProviderFaultKind
  /** Apply to the next N matching requests, then retire. Default: until cleared. */
  times?: number
  /** latency: the delay in ms (required). */
  ms?: number
  /** status: the HTTP status (400-599, default 503); html: the page's status (default 502). */
  status?: number
}

export interface ActiveProviderFault<Route extends string> extends ProviderFaultSpec<Route> {
  id: string
  applied: number
}

export interface ProviderFaults<Route extends string> {
  inject(spec: ProviderFaultSpec<Route>): string
  clear(id?: string): void
  list(): ActiveProviderFault<Route>[]
}

export interface ProviderFaultDecision<Route extends string> {
  delayMs: number
  outcome: ActiveProviderFault<Route> | null
}

export interface ProviderFaultEngine<Route extends string> extends ProviderFaults<Route> {
  decide(route: Route | 'unknown'): ProviderFaultDecision<Route>
}

export function createProviderFaults<Route extends string>(routes: readonly Route[]): ProviderFaultEngine<Route> {
  let active: ActiveProviderFault<Route>[] = []
  let counter = 0
  return {
    inject(spec) {
      validate(spec, routes)
      counter += 1
      const fault: ActiveProviderFault<Route> = { ...spec, id: `fault-${counter}`, applied: 0 }
      active.push(fault)
      return fault.id
    },
    clear(id) {
      active = id === undefined ? [] : active.filter((f) => f.id !== id)
    },
    list: () => active.map((f) => ({ ...f })),
    decide(route) {
      let delayMs = 0
      let outcome: ActiveProviderFault<Route> | null = null
      for (const fault of active) {
        if (fault.route !== '*' && fault.route !== route) continue
        if (fault.kind === 'latency') {
          fault.applied += 1
          delayMs += fault.ms ?? 0
        } else if (outcome === null) {
          fault.applied += 1
          outcome = fault
        }
      }
      active = active.filter((f) => f.times === undefined || f.applied < f.times)
      return { delayMs, outcome }
    }
  }
}

function validate<Route extends string>(spec: ProviderFaultSpec<Route>, routes: readonly Route[]): void {
  if (spec.route !== '*' && !routes.includes(spec.route)) throw new SandboxError(`unknown fault route '${String(spec.route)}'`)
  if (!KINDS.includes(spec.kind)) throw new SandboxError(`unknown fault kind '${String(spec.kind)}'`)
  const checks: ['times' | 'ms' | 'status', (n: number) => boolean, string][] = [
    ['times', (n) => Number.isInteger(n) && n >= 1, 'a positive integer'],
    ['ms', (n) => n >= 0, 'non-negative'],
    ['status', (n) => Number.isInteger(n) && n >= 400 && n <= 599, 'an HTTP error status (400-599)']
  ]
  for (const [key, ok, expected] of checks) {
    const value = spec[key]
    if (value === undefined) continue
    if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) throw new SandboxError(`fault ${key} must be ${expected}`)
  }
  if (spec.kind === 'latency' && spec.ms === undefined) throw new SandboxError('a latency fault needs ms')
}
