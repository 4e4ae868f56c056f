// The scale bench's runs over one team: sharing credentials, the steady run (refreshes triggered on the member the
// rendezvous ranks first, as its timer would fire), and the contention run (every member asks for the same expiring
// credentials at once). Each counts what the team did: notifications per link, adoptions and their latency after the
// notification, lease acquires answered 'elsewhere'.
import { createHash, randomUUID } from 'node:crypto'
import type { ApicbaseClient } from '../../src/main/core/apicbase/index.ts'
import type { RefreshTurn } from '../../src/main/core/engine/ports.ts'
import { RefreshEngine } from '../../src/main/core/engine/refresh-engine.ts'
import { systemClock } from '../../src/main/core/time/clock.ts'
import { sandboxLibraryRecord } from '../../test/support/sandbox-records.ts'
import type { RemoteSandbox } from '../remote-sandbox.ts'
import type { BenchMember, BenchTeam } from './members.ts'

export interface TeamObserver {
  notifications: number
  adoptions: number
  failedAcquires: number
  /** Milliseconds from a member's notification for a row to that member taking the row in. */
  readonly adoptLatencies: number[]
  reset(): void
}

/** Counts what every member's link delivers and its vault takes in, and every 'elsewhere' answer to a turn. */
export function observeTeam(team: BenchTeam): TeamObserver {
  const observer: TeamObserver = {
    notifications: 0,
    adoptions: 0,
    failedAcquires: 0,
    adoptLatencies: [],
    reset() {
      this.notifications = 0
      this.adoptions = 0
      this.failedAcquires = 0
      this.adoptLatencies.length = 0
    }
  }
  for (const member of team.members) {
    const heard = new Map<string, number>()
    member.link.on('notification', (payload) => {
      observer.notifications += 1
      // The latest notification for a row: a member's own write is heard too, and never adopted.
      const id = idOf(payload)
      if (id !== null) heard.set(id, performance.now())
    })
    member.vault.on('changed', (change) => {
      const now = performance.now()
      for (const id of [...change.added, ...change.changed]) {
        observer.adoptions += 1
        const at = heard.get(id)
        if (at === undefined) continue
        heard.delete(id)
        observer.adoptLatencies.push(now - at)
      }
    })
    const turn = member.vault.refreshTurn.bind(member.vault)
    member.vault.refreshTurn = async (id: string): Promise<RefreshTurn> => {
      const answer = await turn(id)
      if (answer.kind === 'elsewhere') observer.failedAcquires += 1
      return answer
    }
  }
  return observer
}

function idOf(payload: string): string | null {
  try {
    const parsed: unknown = JSON.parse(payload)
    return typeof parsed === 'object' && parsed !== null && 'id' in parsed && typeof parsed.id === 'string' ? parsed.id : null
  } catch {
    return null
  }
}

export function enginesFor(team: BenchTeam, api: ApicbaseClient): RefreshEngine[] {
  // No start(): no timers; the bench says when each refresh happens.
  return team.members.map((member) => new RefreshEngine({ vault: member.vault, client: { refresh: (...args) => api.refresh(...args) }, clock: systemClock, audit: member.audit }))
}

/** The member whose timer fires first for this credential (team-turns.ts's rendezvous over the whole team). */
export function firstRanked(members: readonly BenchMember[], id: string): BenchMember {
  const rank = (member: BenchMember): string => createHash('sha256').update(`${member.id}|${id}`).digest('hex')
  return [...members].sort((a, b) => rank(a).localeCompare(rank(b)))[0] as BenchMember
}

/** Adds `count` sandbox libraries through the first member and waits until every member holds them all. */
export async function share(team: BenchTeam, sandbox: RemoteSandbox, count: number, prefix: string, lifetimeMs?: number): Promise<string[]> {
  const libraries = await sandbox.addLibraries(count, prefix)
  const first = team.members[0] as BenchMember
  const ids: string[] = []
  for (const library of libraries) {
    const { meta, secrets } = sandboxLibraryRecord(library, { id: randomUUID(), apiBaseUrl: sandbox.url, issuedAt: Date.now(), ...(lifetimeMs === undefined ? {} : { lifetimeMs }) })
    await first.vault.add(meta, secrets)
    ids.push(meta.id)
  }
  await until(120_000, 'every member holds every credential', () => team.members.every((m) => ids.every((id) => m.vault.get(id) !== undefined)))
  return ids
}

/** Runs `jobs` with at most `concurrency` at once; resolves with their results in order. */
export async function pooled<T>(jobs: readonly (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array<T>(jobs.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++
      results[index] = await (jobs[index] as () => Promise<T>)()
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker))
  return results
}

export async function until(ms: number, what: string, check: () => boolean): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Waits until `count()` has not moved for `quietMs` (the team has taken in everything), at most `ms`. */
export async function settled(count: () => number, quietMs = 2_000, ms = 60_000): Promise<void> {
  const end = Date.now() + ms
  let last = count()
  let since = Date.now()
  while (Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    const now = count()
    if (now !== last) {
      last = now
      since = Date.now()
    } else if (Date.now() - since >= quietMs) return
  }
}

/** Refreshes in rounds: each round refreshes distinct credentials, each on its first-ranked member's engine. */
export async function steadyRefreshes(team: BenchTeam, engines: readonly RefreshEngine[], ids: readonly string[], total: number, concurrency: number): Promise<{ failed: number }> {
  let failed = 0
  for (let done = 0; done < total; done += ids.length) {
    const round = ids.slice(0, Math.min(ids.length, total - done))
    await pooled(
      round.map((id) => async () => {
        const engine = engines[firstRanked(team.members, id).index] as RefreshEngine
        await engine.refresh(id, 'manual').catch(() => {
          failed += 1
        })
      }),
      concurrency
    )
  }
  return { failed }
}

/** Every member asks for a fresh token of every id at once (a copy with a day's margin); per id, what each handed out. */
export async function everyoneAtOnce(engines: readonly RefreshEngine[], ids: readonly string[]): Promise<{ tokens: string[][]; failed: number }> {
  let failed = 0
  const tokens = await Promise.all(
    engines.map((engine) =>
      Promise.all(
        ids.map((id) =>
          engine.freshAccessToken(id, 86_400_000, 'copy').catch(() => {
            failed += 1
            return ''
          })
        )
      )
    )
  )
  return { tokens, failed }
}
