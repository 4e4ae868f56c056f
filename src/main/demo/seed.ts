// The demo's world: a sandbox of its own (a fresh seed unless one is given) and a vault with one library in each
// state a person meets, each reached the way it happens for real: a token added while Larder was away (expiring),
// a token endpoint answering with an error page (refresh failed), a pair another tool refreshed (needs
// re-authorization), a token revoked in Larder (revoked). Nothing is written into the vault by hand: every library is
// added, refreshed or revoked through the app's own use cases, against the sandbox. Shared by `npm run dev:web` and
// the desktop demo (`--demo`).
import type { LibraryStatus } from '../../shared/contract.ts'
import type { Actions } from '../app/actions.ts'
import { LIBRARY_IDS, PERSONAL_USER_ID, randomSeed, startSandbox, type LibraryCredentials, type Sandbox } from '../sandbox/index.ts'
import type { DemoClock } from './clock.ts'

const HOUR = 3_600_000
/** The sandbox's access tokens live 7 days, as Apicbase's do. */
const TOKEN_LIFETIME_S = 7 * 24 * 3600
/**
 * Added this long ago, a 7-day token has 23 h left (inside the 48 h warning window) and the refresh Larder plans a
 * day before expiry is an hour overdue: "Expiring soon" under the rule that a refresh on schedule stays healthy. The
 * engine's queue looks at the clock again within 15 minutes (or at once after a sleep, or Refresh now) and then
 * refreshes it, as it would after Larder was away.
 */
export const EXPIRING_ADDED_AGO_MS = TOKEN_LIFETIME_S * 1000 - 23 * HOUR

export interface DemoSandboxOptions {
  /** Default: a random seed, so two demos never share credentials. */
  readonly seed?: number
  /** The /__sandbox/ admin endpoints (the development host turns them on; the desktop demo never does). */
  readonly admin?: boolean
  readonly port?: number
}

export function startDemoSandbox(options: DemoSandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({
    seed: options.seed ?? randomSeed(),
    admin: options.admin ?? false,
    port: options.port ?? 0,
    accessTokenTtlSeconds: TOKEN_LIFETIME_S
  })
}

export interface SeededLibrary {
  readonly name: string
  /** What the dashboard shows for it once seeding is done. */
  readonly status: LibraryStatus
  /** How it got there, in a few words. */
  readonly why: string
}

export interface DemoWorld {
  readonly libraries: readonly SeededLibrary[]
  /** A library of the sandbox that is not in the vault, for a person to add by hand. Test credentials. */
  readonly readyToAdd: LibraryCredentials
  /** The partner application: the OAuth client to connect a personal token with. */
  readonly partner: { readonly clientId: string; readonly clientSecret: string }
  /** Who the sandbox's authorization page signs in as, and the libraries that person may use. */
  readonly personalUser: { readonly id: number; readonly name: string; readonly libraries: readonly string[] }
}

export interface DemoSeedPorts {
  /** The use cases of the open app. */
  readonly actions: Actions
  readonly sandbox: Sandbox
  /** The app's clock: moved back for a moment while the expiring library is added. */
  readonly clock: DemoClock
}

/** The demo keys' customers (seed-keys.ts): the libraries of the same customers carry the same labels. */
const GRILL_HAVEN = 'Grill Haven'
const BISTRO_NORD = 'Bistro Nord'

type Plan = readonly {
  readonly credentials: LibraryCredentials
  readonly why: string
  readonly customer?: string
  readonly then?: (id: string, familyId: string) => Promise<void>
}[]

export async function seedDemo({ actions, sandbox, clock }: DemoSeedPorts): Promise<DemoWorld> {
  const fixture = (id: number): LibraryCredentials => {
    const found = sandbox.fixtures.libraries.find((library) => library.id === id)
    if (found === undefined) throw new Error(`the sandbox has no library ${id}`)
    return found
  }
  const add = async ({ tokenType, name, clientId, clientSecret, accessToken, refreshToken }: LibraryCredentials, customer?: string): Promise<string> =>
    (await actions.add({ tokenType, name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: sandbox.url, ...(customer === undefined ? {} : { customer }) })).id
  // A refresh that is meant to fail here: the library's record says how.
  const refreshExpectingFailure = (id: string): Promise<void> => actions.refresh(id).then(() => undefined, () => undefined)

  // First, alone: while "now" is six days back nothing else may be added, or it would be six days old too.
  const expiring = fixture(LIBRARY_IDS.trattoriaOost)
  clock.shift(-EXPIRING_ADDED_AGO_MS)
  sandbox.clock.advance(-EXPIRING_ADDED_AGO_MS)
  try {
    await add(expiring)
  } finally {
    clock.shift(EXPIRING_ADDED_AGO_MS)
    sandbox.clock.advance(EXPIRING_ADDED_AGO_MS)
  }

  const plan: Plan = [
    { credentials: fixture(LIBRARY_IDS.brasserieNord), why: 'refreshed on schedule', customer: BISTRO_NORD },
    { credentials: fixture(LIBRARY_IDS.cafeZuid), why: 'refreshed on schedule' },
    { credentials: fixture(LIBRARY_IDS.bistroWest), why: 'a connected application, refreshed on schedule', customer: BISTRO_NORD },
    {
      credentials: sandbox.addLibraryWithApplication({ name: 'Grill Haven' }),
      why: "the sandbox answers its refreshes with a 502 error page; Larder retries",
      customer: GRILL_HAVEN,
      then: async (id, familyId) => {
        sandbox.faults.inject({ route: 'token', kind: 'html', familyId })
        await refreshExpectingFailure(id)
      }
    },
    {
      credentials: sandbox.addLibraryWithApplication({ name: 'Bakkerij Brug' }),
      why: 'another tool used its refresh token; the owner must issue a new pair',
      then: async (id, familyId) => {
        sandbox.refreshElsewhere(familyId)
        await refreshExpectingFailure(id)
      }
    },
    {
      credentials: sandbox.addLibraryWithApplication({ name: 'Pizzeria Dijk' }),
      why: 'revoked in Larder',
      then: async (id) => {
        await actions.revoke(id)
      }
    }
  ]
  for (const step of plan) {
    const id = await add(step.credentials, step.customer)
    await step.then?.(id, step.credentials.familyId)
  }

  const statuses = new Map(actions.list().map((library) => [library.name, library.status]))
  const seeded = (name: string, why: string): SeededLibrary => {
    const status = statuses.get(name)
    if (status === undefined) throw new Error(`${name} is not in the demo vault`)
    return { name, status, why }
  }
  const libraries = [
    seeded(expiring.name, 'added six days ago; its refresh came due while Larder was away (it catches up within 15 min, or at Refresh now)'),
    ...plan.map((step) => seeded(step.credentials.name, step.why))
  ]
  const { partner, user } = sandbox.fixtures
  return {
    libraries,
    readyToAdd: sandbox.addLibraryWithApplication({ name: 'Tapas Plein' }),
    partner: { clientId: partner.clientId, clientSecret: partner.clientSecret },
    personalUser: { id: PERSONAL_USER_ID, name: user.name, libraries: user.permissions.map((permission) => permission.libraryName) }
  }
}
