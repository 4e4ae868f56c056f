// What the sandbox observed, for assertions: per-family token traffic, refresh concurrency,
// per-minute request peaks and a log of every API request.

import type { HitRoute } from './model.ts'

export interface Hit {
  route: HitRoute
  /** The library the request acted on (null when none was resolved, e.g. a 401). */
  libraryId: number | null
  familyId: string | null
  /** HTTP status sent; 0 when the connection was reset instead of answered. */
  status: number
  /** Sandbox-clock ms at arrival. */
  at: number
}

export interface CountersSnapshot {
  tokenRequestsByFamily: Record<string, number>
  maxConcurrentRefreshesByFamily: Record<string, number>
  maxRequestsPerFamilyPerMinute: Record<string, number>
  hits: Hit[]
}

export interface Counters {
  /** Requests to the token endpoint attributed to the family (refreshes, and the code exchange that created it). */
  tokenRequestsByFamily(familyId: string): number
  readonly tokenRequests: ReadonlyMap<string, number>
  /** Peak of one family's refreshes in flight at once; without an id, the peak over all families. */
  maxConcurrentRefreshesByFamily(familyId?: string): number
  /** Peak number of one family's requests in any 60 s of sandbox time; without an id, over all families. */
  maxRequestsPerFamilyPerMinute(familyId?: string): number
  readonly hits: readonly Hit[]
  reset(): void
  snapshot(): CountersSnapshot
}

export interface CounterRecorder extends Counters {
  /** Marks a refresh as in flight; call the returned function once it is answered or reset. */
  refreshStarted(familyId: string): () => void
  record(hit: Hit): void
}

const WINDOW_MS = 60_000

export function createCounters(): CounterRecorder {
  let tokenRequests = new Map<string, number>()
  let inFlight = new Map<string, number>()
  let maxInFlight = new Map<string, number>()
  let arrivals = new Map<string, number[]>() // sorted sandbox timestamps per family
  let maxPerMinute = new Map<string, number>()
  let hits: Hit[] = []

  const peak = (map: Map<string, number>, id?: string): number => {
    if (id !== undefined) return map.get(id) ?? 0
    let best = 0
    for (const value of map.values()) best = Math.max(best, value)
    return best
  }

  function noteArrival(familyId: string, at: number): void {
    const times = arrivals.get(familyId) ?? []
    arrivals.set(familyId, times)
    const inOrder = times.length === 0 || (times[times.length - 1] ?? 0) <= at
    if (inOrder) {
      times.push(at)
      const inWindow = times.length - firstAfter(times, at - WINDOW_MS)
      maxPerMinute.set(familyId, Math.max(maxPerMinute.get(familyId) ?? 0, inWindow))
      return
    }
    // The clock was set back: insert in place and rescan all windows (rare, so O(n) is fine).
    times.splice(firstAfter(times, at), 0, at)
    let best = 0
    for (let end = 0, start = 0; end < times.length; end++) {
      while ((times[start] ?? 0) <= (times[end] ?? 0) - WINDOW_MS) start++
      best = Math.max(best, end - start + 1)
    }
    maxPerMinute.set(familyId, best)
  }

  return {
    tokenRequestsByFamily: (id) => tokenRequests.get(id) ?? 0,
    get tokenRequests() {
      return tokenRequests
    },
    maxConcurrentRefreshesByFamily: (id) => peak(maxInFlight, id),
    maxRequestsPerFamilyPerMinute: (id) => peak(maxPerMinute, id),
    get hits() {
      return hits
    },
    reset() {
      tokenRequests = new Map()
      inFlight = new Map()
      maxInFlight = new Map()
      arrivals = new Map()
      maxPerMinute = new Map()
      hits = []
    },
    snapshot: () => ({
      tokenRequestsByFamily: Object.fromEntries(tokenRequests),
      maxConcurrentRefreshesByFamily: Object.fromEntries(maxInFlight),
      maxRequestsPerFamilyPerMinute: Object.fromEntries(maxPerMinute),
      hits: hits.map((h) => ({ ...h }))
    }),
    refreshStarted(familyId) {
      // Captured so a reset() while requests are in flight does not corrupt the fresh maps.
      const flights = inFlight
      const now = (flights.get(familyId) ?? 0) + 1
      flights.set(familyId, now)
      maxInFlight.set(familyId, Math.max(maxInFlight.get(familyId) ?? 0, now))
      let ended = false
      return () => {
        if (ended) return
        ended = true
        flights.set(familyId, (flights.get(familyId) ?? 1) - 1)
      }
    },
    record(hit) {
      hits.push(hit)
      if (hit.familyId === null) return
      noteArrival(hit.familyId, hit.at)
      if (hit.route === 'token') tokenRequests.set(hit.familyId, (tokenRequests.get(hit.familyId) ?? 0) + 1)
    }
  }
}

/** Index of the first element greater than value in a sorted array. */
function firstAfter(sorted: number[], value: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((sorted[mid] ?? 0) <= value) lo = mid + 1
    else hi = mid
  }
  return lo
}
