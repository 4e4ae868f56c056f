// Values people paste: a token copied from a web page often brings spaces, a line break or quotes along.
import { trimPasted } from '../../../shared/pasted-text.ts'
import { InputError } from '../errors.ts'

// Printable ASCII without spaces: what OAuth client IDs, secrets and tokens are made of.
const OPAQUE = /^[\x21-\x7e]+$/

/** Trims whitespace and quotes around a pasted secret or identifier and checks what is left. */
export function pastedOpaque(field: string, label: string, value: unknown, maxLength = 4096): string {
  if (typeof value !== 'string') throw new InputError(field, `${label} must be text`)
  const trimmed = trimPasted(value)
  if (trimmed === '') throw new InputError(field, `${label} is empty`)
  if (trimmed.length > maxLength) throw new InputError(field, `${label} is too long (${trimmed.length} characters; at most ${maxLength})`)
  if (/\s/.test(trimmed)) throw new InputError(field, `${label} contains a space or line break inside it; paste it again in one piece`)
  if (!OPAQUE.test(trimmed)) throw new InputError(field, `${label} contains characters a token never has; check what was pasted`)
  if (/^bearer$/i.test(trimmed)) throw new InputError(field, `${label} is only the word "Bearer"; paste the token itself`)
  return trimmed
}

/** A display name: trimmed, single-line, 1–100 characters. */
export function displayName(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new InputError(field, 'Name must be text')
  const trimmed = value.trim().replace(/\s+/g, ' ')
  if (trimmed === '') throw new InputError(field, 'Name is empty')
  if (trimmed.length > 100) throw new InputError(field, `Name is too long (${trimmed.length} characters; at most 100)`)
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw new InputError(field, 'Name contains control characters')
  return trimmed
}

/** A pasted "Bearer abc…" or "Authorization: Bearer abc…" keeps only the token. */
export function stripBearer(value: string): string {
  return value.replace(/^\s*(authorization:\s*)?bearer\s+/i, '')
}
