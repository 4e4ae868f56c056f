import type { Catalog } from './catalog.ts'
import type { SandboxClock } from './clock.ts'
import type { RefreshTokenRotation } from './model.ts'
import type { SandboxState } from './state.ts'

/** What route handlers may touch. */
export interface SandboxEnv {
  state: SandboxState
  clock: SandboxClock
  catalog: Catalog
  /** Origin used for absolute pagination links; known once the server listens. */
  baseUrl: string
  revokeFamilyOnReuse: boolean
  refreshTokenRotation: RefreshTokenRotation
  /** The person the authorize page "logs in" as when no user_id is given. */
  defaultUserId: number
}
