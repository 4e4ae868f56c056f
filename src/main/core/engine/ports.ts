// What the refresh engine needs from its collaborators, as small interfaces: the vault, the Apicbase
// client and the audit trail each satisfy one, and tests can hand in the real ones or plain objects.
import type { IssuedPair, LibraryFailure, LibraryMeta, LibrarySecrets, TokenState } from '../model.ts'

export interface MetaPatch {
  readonly lastError?: LibraryFailure | null
  readonly tokenState?: TokenState
  readonly lastUsedAt?: number
}

export interface EngineVault {
  list(): readonly LibraryMeta[]
  get(id: string): LibraryMeta | undefined
  /** Decrypts (only `fields`, when given); re-reads the file first when it changed behind the vault's back. */
  secrets<F extends keyof LibrarySecrets = keyof LibrarySecrets>(id: string, fields?: readonly F[]): Promise<Pick<LibrarySecrets, F>>
  /** Whether the server has already consumed this refresh token (kept as a fingerprint). */
  isSpent(refreshToken: string): boolean
  /** Resolves once the new pair is durably on disk and the sent refresh token is recorded as spent. */
  commitRotation(id: string, rotation: { readonly sentRefreshToken: string; readonly pair: IssuedPair }): Promise<void>
  patch(id: string, patch: MetaPatch): Promise<void>
  /**
   * A shared (team) store only: whether this machine may refresh the family now. Asked before the secrets are read,
   * so the store can adopt the newest pair first. Absent for the local vault, whose data-folder lock already makes
   * this machine the only refresher. Answers 'offline' rather than throwing when the store cannot be reached.
   */
  refreshTurn?(id: string): Promise<RefreshTurn>
  /** A shared store only: milliseconds added to the planned refresh time, so members' timers do not race (≥ 0). */
  refreshOffset?(id: string): number
}

/** This machine's turn to refresh a family of a shared store, or why it has none. */
export type RefreshTurn =
  | {
      readonly kind: 'mine'
      /** The refresh token is about to go out: throws (nothing is sent) when the turn was lost meanwhile. */
      sending(): Promise<void>
      /** Called once the attempt is over, whatever its outcome (after the new pair is committed). */
      release(): Promise<void>
    }
  | {
      readonly kind: 'elsewhere'
      /** Who holds the turn, as the window may name them (a member's label, never a secret). */
      readonly by: string
      /** Resolves once the family has a newer pair in this vault, or after the store's own timeout. */
      readonly settled: Promise<void>
    }
  | {
      readonly kind: 'offline'
      /** When this machine lost the store (epoch ms). */
      readonly since: number
    }

export interface RefreshTarget {
  readonly baseUrl: string
  readonly libraryName: string
  readonly rateKey: string
}

export interface RefreshResponse {
  readonly accessToken: string
  readonly refreshToken: string
  readonly expiresInSeconds: number | null
  readonly scopes: readonly string[]
}

export interface EngineClient {
  refresh(
    target: RefreshTarget,
    credentials: { readonly clientId: string; readonly clientSecret: string },
    refreshToken: string
  ): Promise<RefreshResponse>
}

export type AuditAction = 'refreshed' | 'failed'

export interface EngineAudit {
  append(entry: {
    readonly action: AuditAction
    readonly libraryId: string
    readonly libraryName: string
    readonly outcome: 'ok' | 'error'
    readonly detail?: string
  }): Promise<unknown>
}
