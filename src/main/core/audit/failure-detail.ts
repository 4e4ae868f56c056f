// What the audit trail says about a failed action. Only Larder's own words go in: the failure kind and its
// message for an API failure (server text is already redacted there), the field's name for refused input (the
// input itself may be a pasted secret), and the error's name for anything else.
import { ApiError, InputError } from '../errors.ts'

export function auditFailureDetail(error: unknown): string {
  if (error instanceof ApiError) return `${error.kind}: ${error.message}`
  if (error instanceof InputError) return `refused: ${error.field} was not accepted`
  if (error instanceof Error) return `failed: ${error.name}`
  return 'failed'
}
