// Whole Larders (larder-harness: the app over its own sandbox and a manual clock) in a team made the way a person makes
// one (issue 16), through the app's own calls, on a database of the suite's PostgreSQL made empty for each test.
import { afterEach, expect, vi } from 'vitest'
import type { LibraryView } from '../../../src/shared/contract.ts'
import type { LibraryCredentials } from '../../sandbox/index.ts'
import { startLarder, type LarderHarness, type LarderHarnessOptions } from '../../support/larder-harness.ts'
import type { PgServer } from '../../support/postgres-server.ts'
import { emptyDatabasePerTest } from '../../support/team-db.ts'

/** A call's answer, or a failure naming Larder's refusal. */
export function ok<T>(answer: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!answer.ok) throw new Error(`refused: ${JSON.stringify(answer.error)}`)
  return answer.value
}

export interface TeamApps {
  /** This test's team database, empty until an app makes a team in it. */
  url(): string
  /** A whole Larder, closed after the test. */
  machine(options?: LarderHarnessOptions): Promise<LarderHarness>
  /** Leaves `h` to the test (it closed it already). */
  forget(h: LarderHarness): void
}

/** Call inside the describe block: a database per test (named `prefix` and a number), and the apps closed after it. */
export function teamAppsPerTest(running: () => PgServer, prefix: string): TeamApps {
  const url = emptyDatabasePerTest(running, prefix)
  const started: LarderHarness[] = []
  afterEach(async () => {
    for (const h of started.splice(0)) await h.close()
  })
  return {
    url,
    async machine(options) {
      const h = await startLarder(options)
      started.push(h)
      return h
    },
    forget(h) {
      started.splice(started.indexOf(h), 1)
    }
  }
}

/** A library with its application at `h`'s sandbox, added through the window's call. */
export async function addLibrary(h: LarderHarness, name: string): Promise<{ held: LibraryCredentials; view: LibraryView }> {
  const held = h.sandbox.addLibraryWithApplication({ name })
  const { tokenType, clientId, clientSecret, accessToken, refreshToken } = held
  const view = ok(await h.handlers['libraries.add']({ tokenType, name: held.name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: h.sandbox.url }))
  return { held, view }
}

/** Moves `h`'s clock `step` ms at a time until Larder says this machine is a member online. */
export async function online(h: LarderHarness, step = 10): Promise<void> {
  await vi.waitFor(async () => {
    await h.advance(step)
    expect(ok(await h.handlers['team.state']({}))).toMatchObject({ membership: 'member', link: { state: 'online' } })
  }, { timeout: 30_000, interval: 100 })
}

export interface Joiner {
  readonly h: LarderHarness
  readonly name: string
  /** The database as this machine reaches it (a proxy of its own), when not the team's URL. */
  readonly url?: string
}

/**
 * `first` makes a team on `url` and comes online; each joiner asks to join, `first` approves its code, and the joiner
 * finds that out by itself (its clock moved 3 s a look) and comes online. The joiners' member ids, in order.
 */
export async function makeTeamOfApps(url: string, first: Joiner, joiners: readonly Joiner[]): Promise<string[]> {
  ok(await first.h.handlers['team.create']({ databaseUrl: first.url ?? url, name: first.name }))
  await online(first.h)
  const memberIds: string[] = []
  for (const joiner of joiners) {
    const asked = ok(await joiner.h.handlers['team.requestJoin']({ databaseUrl: joiner.url ?? url, name: joiner.name }))
    memberIds.push(ok(await first.h.handlers['team.approve']({ code: asked.code ?? '' })).memberId)
    await online(joiner.h, 3_000)
  }
  return memberIds
}
