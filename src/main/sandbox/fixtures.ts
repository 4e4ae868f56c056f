// The seeded world: a partner with several customer libraries and one person working across them.
// Token strings come from the seed, so `--seed 1` always prints the same credentials.

import type { ApplicationInfo, LibraryCredentials, SandboxFixtures, Scope } from './model.ts'
import { ALL_SCOPES } from './model.ts'
import { seededTokenSource } from './rng.ts'
import type { SandboxState, TokenFamily } from './state.ts'

export const PARTNER_NAME = 'Larder Demo Partner'
export const PERSONAL_USER_ID = 501
export const LIBRARY_IDS = { brasserieNord: 1001, cafeZuid: 1002, trattoriaOost: 1003, bistroWest: 1004 } as const

interface SeedLibrary {
  id: number
  name: string
  recipes: number
  outlets: number
  token: 'service_account' | 'connected_application'
}

// Recipe counts give pagination (10 a page by default) one, two, three and six page cases.
const SEED_LIBRARIES: readonly SeedLibrary[] = [
  { id: 1001, name: 'Brasserie Nord', recipes: 57, outlets: 3, token: 'service_account' },
  { id: 1002, name: 'Café Zuid', recipes: 26, outlets: 2, token: 'service_account' },
  { id: 1003, name: 'Trattoria Oost', recipes: 12, outlets: 2, token: 'service_account' },
  { id: 1004, name: 'Bistro West', recipes: 8, outlets: 1, token: 'connected_application' }
]

// Pat may read recipes in the first two libraries but only account data in the third,
// which is how the sandbox demonstrates the personal-permission 403.
const PAT_PERMISSIONS: [number, Scope[]][] = [
  [1001, ['accounts', 'library']],
  [1002, ['accounts', 'library']],
  [1003, ['accounts']]
]

export function seedFixtures(state: SandboxState, seed: number): SandboxFixtures {
  const gen = seededTokenSource(seed)
  const scopes = [...ALL_SCOPES]
  const partner = state.addApplication(PARTNER_NAME, 'partner', null, gen)
  const applications: ApplicationInfo[] = [partner]
  const libraries: LibraryCredentials[] = []

  for (const seedLib of SEED_LIBRARIES) {
    const library = state.addLibrary(seedLib.id, seedLib.name, seedLib.recipes, seedLib.outlets)
    const ownApp = state.addApplication(`${seedLib.name} API`, 'library', library.id, gen)
    applications.push(ownApp)
    const app = seedLib.token === 'service_account' ? ownApp : partner
    const family = state.issue(
      { clientId: app.clientId, kind: seedLib.token, libraryId: library.id, userId: null, scopes },
      gen
    )
    libraries.push({ id: library.id, name: library.name, ...credentialsOf(family, app) })
  }

  const user = state.addUser(PERSONAL_USER_ID, 'Pat Partner', PAT_PERMISSIONS, 1001)
  const personal = state.issue(
    { clientId: partner.clientId, kind: 'personal', libraryId: null, userId: user.id, scopes },
    gen
  )
  return {
    seed,
    partner: { ...partner },
    applications: applications.map((a) => ({ ...a })),
    libraries,
    user: {
      id: user.id,
      name: user.name,
      activeLibraryId: user.activeLibraryId,
      permissions: PAT_PERMISSIONS.map(([libraryId, granted]) => ({
        libraryId,
        libraryName: state.libraries.get(libraryId)?.name ?? '',
        scopes: [...granted]
      })),
      token: credentialsOf(personal, partner)
    }
  }
}

export function credentialsOf(family: TokenFamily, app: ApplicationInfo): Omit<LibraryCredentials, 'id' | 'name'> {
  return {
    tokenType: family.kind,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    accessToken: family.accessToken,
    refreshToken: family.refreshToken,
    familyId: family.id,
    scopes: [...family.scopes]
  }
}
