// How a refused or failed call is answered: a kind a client can branch on and a message for a person, never a
// stack, never an echo of a megabyte of input, never a secret.
import type { z } from 'zod'
import type { BridgeErrorShape, CallName } from '../../shared/contract.ts'
import { ApiError, InputError } from '../core/errors.ts'
import { LibraryDriftError } from '../core/personal/errors.ts'

export const INTERNAL_MESSAGE = 'Larder hit an unexpected problem; the details are in its log.'

export function toBridgeError(error: unknown): BridgeErrorShape {
  if (error instanceof InputError) return { kind: 'invalid_input', field: error.field, message: error.message }
  if (error instanceof ApiError) return { kind: 'api', apiKind: error.kind, message: error.message }
  // Not the API's refusal but Larder's: the personal token's active library was changed outside Larder.
  if (error instanceof LibraryDriftError) return { kind: 'api', apiKind: 'library_drift', message: error.message }
  if (error instanceof Error && /^Vault|^LibrarySecrets|^WrongPassphrase|^DecryptError/.test(error.name)) {
    // Vault messages name files and libraries, never secrets (see core/vault/errors.ts).
    return { kind: 'vault', message: error.message }
  }
  return { kind: 'internal', message: INTERNAL_MESSAGE }
}

/** Built from the first problem only, with names shortened: a refusal must not echo a megabyte back. */
export function invalidInput(name: CallName, error: z.ZodError): BridgeErrorShape {
  const issue = error.issues[0]
  const field = issue && issue.path.length > 0 ? issue.path.map((part) => short(String(part))).join('.') : 'input'
  const what =
    issue?.code === 'unrecognized_keys'
      ? `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.slice(0, 3).map((key) => short(key)).join(', ')}${issue.keys.length > 3 ? ` and ${issue.keys.length - 3} more` : ''}`
      : short(issue?.message ?? 'invalid', 200)
  return { kind: 'invalid_input', field, message: `${name}: ${field}: ${what}` }
}

export function notPlainData(name: CallName, input: unknown): BridgeErrorShape {
  return { kind: 'invalid_input', field: 'input', message: `${name}: input: must be a plain object, not ${describeValue(input)}` }
}

function short(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}

function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return `a ${short((value as object).constructor?.name ?? 'special object')}`
  return `a ${typeof value}`
}
