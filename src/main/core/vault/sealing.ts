// How library secrets are sealed. Each value carries, inside its ciphertext, its library, its field and the record's
// bound fields (record-binding.ts), so a value copied into another record or field, or a record whose API base URL,
// client ID, token type or library was changed outside Larder, does not open. The cipher has no separate key or
// associated data: what is authenticated is what is inside the ciphertext, checked on every open.
import type { LibraryMeta, LibrarySecrets } from '../model.ts'
import type { Cipher } from './cipher.ts'
import { LibrarySecretsError, VaultTamperedError } from './errors.ts'
import type { SealedSecrets, StoredLibrary } from './file-format.ts'
import { SECRET_FIELDS, type SecretField } from './library-checks.ts'
import { BOUND_FIELDS, bindingOf, changedFields } from './record-binding.ts'

/** Schema 4 on: [context, library id, field, ...bound fields, value]. */
const SEAL_CONTEXT = 'larder-secret-v2'
/** Schema 3 and before: [context, library id, field, value]. Opened only to seal a vault of then again, once. */
const UNBOUND_CONTEXT = 'larder-secret-v1'
const SEP = '\u001f'
const BOUND_PARTS = 4 + BOUND_FIELDS.length

/** Which envelopes an open takes: bound ones only, or also the unbound kind while a schema 3 vault is sealed again. */
export type Acceptance = 'bound' | 'unbound-too'

/**
 * What comes between the field and the value in an envelope sealed for `meta`: its bound fields, each followed by
 * the separator. Kept per record object (records are frozen and replaced, never changed), so the two or three
 * secrets sealed or opened for one record join its fields once. Only the last few records: kept for every record
 * checked at open, it held one string per library for the vault's life (3.5 MB at 10,000; bench/heap.ts).
 */
const boundParts = new Map<LibraryMeta, string>()
const BOUND_PARTS_KEPT = 64

function boundPartOf(meta: LibraryMeta): string {
  let part = boundParts.get(meta)
  if (part === undefined) {
    part = ''
    for (const value of bindingOf(meta)) part += value + SEP
    if (boundParts.size >= BOUND_PARTS_KEPT) boundParts.delete(boundParts.keys().next().value!)
    boundParts.set(meta, part)
  }
  return part
}

/** Everything an envelope for this record and field holds before its value. */
function envelopeHead(meta: LibraryMeta, field: SecretField): string {
  return SEAL_CONTEXT + SEP + meta.id + SEP + field + SEP + boundPartOf(meta)
}

export function sealSecret(cipher: Cipher, meta: LibraryMeta, field: SecretField, value: string): Promise<string> {
  return cipher.encrypt(envelopeHead(meta, field) + value)
}

export async function sealSecrets(cipher: Cipher, meta: LibraryMeta, secrets: LibrarySecrets): Promise<SealedSecrets> {
  return Object.freeze({
    clientSecret: await sealSecret(cipher, meta, 'clientSecret', secrets.clientSecret),
    accessToken: await sealSecret(cipher, meta, 'accessToken', secrets.accessToken),
    refreshToken: await sealSecret(cipher, meta, 'refreshToken', secrets.refreshToken)
  })
}

/**
 * Decrypts one value and checks it was sealed for this record as it is: LibrarySecretsError when it does not decrypt,
 * VaultTamperedError (a LibrarySecretsError) when it was sealed for another record or field, for other values of
 * the bound fields, or (after its vault was sealed again) without them.
 */
export async function openSecret(cipher: Cipher, library: StoredLibrary, field: SecretField, accept: Acceptance = 'bound'): Promise<string> {
  const { id, name } = library.meta
  let plain: string
  try {
    plain = await cipher.decrypt(library.secrets[field])
  } catch (error) {
    throw new LibrarySecretsError(id, name, field, error)
  }
  // The usual case, with no array made: sealed for this very record and field, its bound fields as they are now.
  if (typeof plain === 'string') {
    const head = envelopeHead(library.meta, field)
    if (plain.startsWith(head)) {
      const value = plain.slice(head.length)
      if (!value.includes(SEP)) return value
    }
  }
  const parts = typeof plain === 'string' ? plain.split(SEP) : []
  const refuse = (changed: readonly string[], detail: string): never => {
    throw new VaultTamperedError(id, name, field, changed, detail)
  }
  if (parts[0] === SEAL_CONTEXT && parts.length === BOUND_PARTS) {
    if (parts[1] !== id || parts[2] !== field) refuse([], 'a secret sealed for another library or field was put in its place')
    const changed = changedFields(library.meta, parts.slice(3, -1))
    if (changed.length > 0) refuse(changed, '')
    return parts[BOUND_PARTS - 1]!
  }
  if (parts[0] === UNBOUND_CONTEXT && parts.length >= 4) {
    if (accept !== 'unbound-too') refuse([], 'a secret sealed by an older Larder, before records were bound to their secrets, was put in its place')
    if (parts[1] !== id || parts[2] !== field) refuse([], 'a secret sealed for another library or field was put in its place')
    return parts.slice(3).join(SEP)
  }
  return refuse([], 'a value Larder did not seal was put in its place')
}

export async function openSecrets<F extends SecretField = SecretField>(
  cipher: Cipher,
  library: StoredLibrary,
  fields: readonly F[] = SECRET_FIELDS as readonly SecretField[] as readonly F[],
  accept: Acceptance = 'bound'
): Promise<Pick<LibrarySecrets, F>> {
  const values: Partial<Record<SecretField, string>> = {}
  for (const field of fields) values[field] = await openSecret(cipher, library, field, accept)
  return values as Pick<LibrarySecrets, F>
}

/** The record with its secrets opened (as `accept` allows) and sealed again for `meta`, its bound fields as they are to be. */
export async function resealed(cipher: Cipher, library: StoredLibrary, meta: LibraryMeta, accept: Acceptance = 'bound'): Promise<StoredLibrary> {
  const secrets = await openSecrets(cipher, library, SECRET_FIELDS, accept)
  return Object.freeze({ meta, secrets: await sealSecrets(cipher, meta, secrets) })
}

/**
 * What a sealed value holds, whichever Larder sealed it and whatever record it sits in: for telling which library a
 * copy's value belongs to and which refresh tokens a copy still holds. Never for sending (that is openSecret).
 */
export async function peekSecret(cipher: Cipher, sealed: string): Promise<{ readonly libraryId: string; readonly field: string; readonly value: string } | null> {
  let plain: string
  try {
    plain = await cipher.decrypt(sealed)
  } catch {
    return null
  }
  const parts = typeof plain === 'string' ? plain.split(SEP) : []
  if (parts[0] === SEAL_CONTEXT && parts.length === BOUND_PARTS) return { libraryId: parts[1]!, field: parts[2]!, value: parts[BOUND_PARTS - 1]! }
  if (parts[0] === UNBOUND_CONTEXT && parts.length >= 4) return { libraryId: parts[1]!, field: parts[2]!, value: parts.slice(3).join(SEP) }
  return null
}
