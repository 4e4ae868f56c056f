// What a fake observed, for assertions: one hit per request with its route, method, status and sandbox time.

export interface ProviderHit<Route extends string> {
  route: Route | 'unknown'
  method: string
  /** HTTP status sent; 0 when the connection was reset instead of answered. */
  status: number
  /** Sandbox-clock ms at arrival. */
  at: number
}

export interface ProviderHitFilter<Route extends string> {
  route?: Route | 'unknown'
  status?: number
}

export interface ProviderCounters<Route extends string> {
  readonly hits: readonly ProviderHit<Route>[]
  /** How many hits match the filter (all of them without one). */
  count(filter?: ProviderHitFilter<Route>): number
  reset(): void
}

export interface ProviderCounterRecorder<Route extends string> extends ProviderCounters<Route> {
  record(hit: ProviderHit<Route>): void
}

export function createProviderCounters<Route extends string>(): ProviderCounterRecorder<Route> {
  let hits: ProviderHit<Route>[] = []
  return {
    get hits() {
      return hits
    },
    count(filter = {}) {
      return hits.filter((h) => (filter.route === undefined || h.route === filter.route) && (filter.status === undefined || h.status === filter.status))
        .length
    },
    reset() {
      hits = []
    },
    record(hit) {
      hits.push(hit)
    }
  }
}
