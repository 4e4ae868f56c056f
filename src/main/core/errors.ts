// Errors a person can act on. Each carries a closed `kind` so the engine and the UI can decide what to do
// without parsing messages, and a message that names the library and never contains a secret.
import type { FailureKind } from './model.ts'

/** A call to the Apicbase API failed. `retryAt` is set for rate limits (from Retry-After). */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  readonly kind: FailureKind
  readonly status: number | null
  readonly retryAt: number | undefined
  /** The request may have reached the server (so a refresh may have been committed there). */
  readonly maybeCommitted: boolean

  constructor(
    kind: FailureKind,
    message: string,
    details: { status?: number | null; retryAt?: number; maybeCommitted?: boolean; cause?: unknown } = {}
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.kind = kind
    this.status = details.status ?? null
    this.retryAt = details.retryAt
    this.maybeCommitted = details.maybeCommitted ?? false
  }
}

/** Input rejected before anything changed. `field` names what was wrong. */
export class InputError extends Error {
  override readonly name = 'InputError'
  readonly field: string

  constructor(field: string, message: string) {
    super(message)
    this.field = field
  }
}
