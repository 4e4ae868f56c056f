// How a refused or failed call is answered: a kind a client can branch on and a message for a person, never a
// stack, never an echo of a megabyte of input, never a secret.
import type { z } from 'zod'
import type { BridgeErrorShape } from '../../shared/contract.ts'
import { ApiError, InputError } from '../core/errors.ts'
import { LibraryDriftError } from '../core/personal/errors.ts'
import { TeamOfflineError } from '../core/team/team-errors.ts'
import { LibraryChoiceError } from './use-cases/find-library.ts'
import { TeamDatabaseUnreachableError } from './team/team-database-reach.ts'

export const INTERNAL_MESSAGE = 'Larder hit an unexpected problem; the details are in its log.'

/** A class name as code sets it (`TypeError`, `VaultWriteError`); anything else is not copied into a log. */
const PLAIN_NAME = /^[A-Za-z_$][\w$]{0,63}$/
/** A system error code (`ENOSPC`, `ERR_INVALID_STATE`). */
const PLAIN_CODE = /^[A-Z][A-Z0-9_]{1,39}$/
/** A V8 stack frame with a location: `at fn (file:///x.js:1:2)`, `at node:fs:3:4`. Never the message's lines. */
const STACK_FRAME = /^at (?:[\w$.<>[\] ]{1,200} \()?(?:file:\/\/|node:|\/|[A-Za-z]:\\)[^()\s]*:\d+:\d+\)?$/
const MAX_FRAMES = 6

/**
 * What a log may say about a failure: its class name, the API's failure kind or a system error code, and for an
 * unexpected error the first frames of its stack. Never the message: it may quote what a server or a file held.
 */
export function failureFacts(error: unknown, kind: string): Record<string, string | readonly string[]> {
  const facts: Record<string, string | readonly string[]> = {}
  const name = error instanceof Error ? error.name : typeof error
  facts['error'] = PLAIN_NAME.test(name) ? name : error instanceof Error ? 'Error' : 'unknown'
  if (error instanceof ApiError || error instanceof TeamOfflineError) facts['apiKind'] = error.kind
  const code: unknown = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined
  if (typeof code === 'string' && PLAIN_CODE.test(code)) facts['code'] = code
  if (kind === 'internal' && error instanceof Error && typeof error.stack === 'string') {
    const frames = error.stack
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => STACK_FRAME.test(line))
      .slice(0, MAX_FRAMES)
    if (frames.length > 0) facts['at'] = frames
  }
  return facts
}

export function toBridgeError(error: unknown): BridgeErrorShape {
  if (error instanceof InputError) return { kind: 'invalid_input', field: error.field, message: error.message }
  // A name that matched no library, or several (the terminal's LIB): its candidates travel on the terminal's error.
  if (error instanceof LibraryChoiceError) return { kind: 'not_found', message: error.message }
  if (error instanceof ApiError) return { kind: 'api', apiKind: error.kind, message: error.message }
  // Not the API's refusal but Larder's: the personal token's active library was changed outside Larder.
  if (error instanceof LibraryDriftError) return { kind: 'api', apiKind: 'library_drift', message: error.message }
  // A change to a team credential refused while this machine cannot reach the team database: the same kind as a
  // refresh refused for it (TeamTurnError, an ApiError), so the window, tray and terminal say it one way.
  if (error instanceof TeamOfflineError) return { kind: 'api', apiKind: error.kind, message: error.message }
  // The team database out of reach or refusing this machine while a team call talked to it (team-database-reach.ts).
  if (error instanceof TeamDatabaseUnreachableError) return { kind: 'api', apiKind: 'team_database', message: error.message }
  if (error instanceof Error && /^Vault|^LibrarySecrets|^WrongPassphrase|^DecryptError/.test(error.name)) {
    // Vault messages name files and libraries, never secrets (see core/vault/errors.ts).
    return { kind: 'vault', message: error.message }
  }
  return { kind: 'internal', message: INTERNAL_MESSAGE }
}

/** Built from the first problem only, with names shortened: a refusal must not echo a megabyte back. */
export function invalidInput(name: string, error: z.ZodError): { kind: 'invalid_input'; field: string; message: string } {
  const issue = error.issues[0]
  const field = issue && issue.path.length > 0 ? issue.path.map((part) => short(String(part))).join('.') : 'input'
  const what =
    issue?.code === 'unrecognized_keys'
      ? `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.slice(0, 3).map((key) => short(key)).join(', ')}${issue.keys.length > 3 ? ` and ${issue.keys.length - 3} more` : ''}`
      : short(issue?.message ?? 'invalid', 200)
  return { kind: 'invalid_input', field, message: `${name}: ${field}: ${what}` }
}

export function notPlainData(name: string, input: unknown): { kind: 'invalid_input'; field: string; message: string } {
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
