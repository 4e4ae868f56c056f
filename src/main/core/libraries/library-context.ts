// What the operations on libraries share: the vault, Apicbase, the engine that keeps tokens fresh, the views
// the rest of the app sees, and the audit trail.
import type { ApicbaseClient } from '../apicbase/index.ts'
import type { AuditInput } from '../audit/index.ts'
import type { RefreshEngine } from '../engine/refresh-engine.ts'
import type { Clock } from '../time/clock.ts'
import type { Vault } from '../vault/index.ts'
import type { LibraryViews } from './library-views.ts'

export interface LibraryContext {
  readonly vault: Vault
  readonly client: ApicbaseClient
  readonly engine: RefreshEngine
  readonly clock: Clock
  readonly newId: () => string
  readonly views: LibraryViews
  /** Appends to the audit trail; a failed append does not fail the operation. */
  record(entry: AuditInput): void
}
