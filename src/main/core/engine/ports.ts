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
