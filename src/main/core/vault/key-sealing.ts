// How a key's token is sealed: like a library's secrets (sealing.ts), the ciphertext holds the key's id, the field,
// and every field of the record that decides where the token may be sent or which key it is taken for: its system,
// its name, and its details' destinations (the API base URL of SafetyCulture and Airtable; a service token's check
// URL and how a request carries it). A record whose bound fields were changed outside Larder, or a value sealed for
// another record (a library's secret included), does not open: VaultTamperedError, as for a library. State, history,
// checks, notes and customer are not bound: Larder changes them all the time, and none of them sends the token.
import type { KeyMeta, KeySecrets } from '../keys/key-model.ts'
import type { Cipher } from './cipher.ts'
import { LibrarySecretsError, VaultTamperedError } from './errors.ts'
import type { StoredKey } from './file-format.ts'

const KEY_CONTEXT = 'larder-key-v1'
const SEP = '\u001f'
export const KEY_FIELD = 'token'

/** In the order they are sealed, with the words a message uses for each. '' where the system has no such field. */
const KEY_BOUND_FIELDS = [
  ['system', 'system', (meta) => meta.system],
  ['name', 'name', (meta) => meta.name],
  ['apiBaseUrl', 'API base URL', (meta) => (meta.system === 'service_token' ? '' : meta.details.apiBaseUrl)],
  ['checkUrl', 'check URL', (meta) => (meta.system === 'service_token' ? (meta.details.checkUrl ?? '') : '')],
  ['carry', 'way requests carry it', (meta) => (meta.system === 'service_token' ? carryText(meta.details.carry) : '')]
] as const satisfies readonly (readonly [string, string, (meta: KeyMeta) => string])[]

const PARTS = 3 + KEY_BOUND_FIELDS.length + 1

function carryText(carry: { readonly kind: 'bearer' } | { readonly kind: 'header'; readonly name: string }): string {
  return carry.kind === 'bearer' ? 'bearer' : `header:${carry.name}`
}

/** The bound fields as sealed (none holds the separator: names and addresses are checked free of control characters). */
export function keyBindingOf(meta: KeyMeta): string[] {
  return KEY_BOUND_FIELDS.map(([, , read]) => read(meta))
}

/** The words for the bound fields of `meta` that differ from the sealed ones (empty when they all match). */
export function changedKeyFields(meta: KeyMeta, sealed: readonly string[]): string[] {
  const current = keyBindingOf(meta)
  return KEY_BOUND_FIELDS.flatMap(([, words], index) => (current[index] === (sealed[index] ?? '') ? [] : [words]))
}

export function keyBoundFieldsDiffer(a: KeyMeta, b: KeyMeta): boolean {
  const before = keyBindingOf(a)
  return keyBindingOf(b).some((value, index) => value !== before[index])
}

function envelopeHead(meta: KeyMeta): string {
  return [KEY_CONTEXT, meta.id, KEY_FIELD, ...keyBindingOf(meta)].join(SEP) + SEP
}

export async function sealKeySecrets(cipher: Cipher, meta: KeyMeta, secrets: KeySecrets): Promise<StoredKey['secrets']> {
  return Object.freeze({ token: await cipher.encrypt(envelopeHead(meta) + secrets.token) })
}

/**
 * The key's token, checked to be sealed for this record as it is: LibrarySecretsError when it does not decrypt,
 * VaultTamperedError when it was sealed for another record or field, or for other values of the bound fields.
 */
export async function openKeyToken(cipher: Cipher, key: StoredKey): Promise<string> {
  const { id, name } = key.meta
  let plain: string
  try {
    plain = await cipher.decrypt(key.secrets.token)
  } catch (error) {
    throw new LibrarySecretsError(id, name, KEY_FIELD, error)
  }
  const parts = typeof plain === 'string' ? plain.split(SEP) : []
  const refuse = (changed: readonly string[], detail: string): never => {
    throw new VaultTamperedError(id, name, KEY_FIELD, changed, detail)
  }
  if (parts[0] !== KEY_CONTEXT || parts.length !== PARTS) return refuse([], 'a value Larder did not seal for a key was put in its place')
  if (parts[1] !== id || parts[2] !== KEY_FIELD) refuse([], 'a token sealed for another key was put in its place')
  const changed = changedKeyFields(key.meta, parts.slice(3, -1))
  if (changed.length > 0) refuse(changed, '')
  return parts[PARTS - 1]!
}

/** The key with its token opened (for the record as it is) and sealed again for `meta`, its bound fields as they are to be. */
export async function resealedKey(cipher: Cipher, key: StoredKey, meta: KeyMeta): Promise<StoredKey> {
  const token = await openKeyToken(cipher, key)
  return Object.freeze({ meta, secrets: await sealKeySecrets(cipher, meta, { token }) })
}

/** The key a sealed token was sealed for, whatever record it sits in: for scrubbing copies, never for sending. */
export async function peekKeyId(cipher: Cipher, sealed: string): Promise<string | null> {
  let plain: string
  try {
    plain = await cipher.decrypt(sealed)
  } catch {
    return null
  }
  const parts = typeof plain === 'string' ? plain.split(SEP) : []
  return parts[0] === KEY_CONTEXT && parts.length === PARTS ? parts[1]! : null
}

/** A key record the vault sends nothing for (kept as found), and the version of it that is shown. */
export interface KeyQuarantine {
  readonly error: LibrarySecretsError
  readonly shown: KeyMeta
}

/** Why the key's token does not open for it, or null. */
export async function checkKey(cipher: Cipher, key: StoredKey): Promise<LibrarySecretsError | null> {
  try {
    await openKeyToken(cipher, key)
    return null
  } catch (error) {
    if (error instanceof LibrarySecretsError) return error
    throw error
  }
}

export async function checkKeys(cipher: Cipher, keys: Iterable<StoredKey>): Promise<Map<string, KeyQuarantine>> {
  const found = new Map<string, KeyQuarantine>()
  const all = [...keys]
  for (let start = 0; start < all.length; start += CHECK_BATCH) {
    const batch = all.slice(start, start + CHECK_BATCH)
    const errors = await Promise.all(batch.map((key) => checkKey(cipher, key)))
    errors.forEach((error, index) => {
      const key = batch[index]!
      if (error) found.set(key.meta.id, Object.freeze({ error, shown: key.meta }))
    })
  }
  return found
}

const CHECK_BATCH = 256

/** Same bound fields and the same sealed token: whatever was found about one holds for the other. */
export function sameKeySealing(a: StoredKey, b: StoredKey): boolean {
  return a === b || (a.meta.id === b.meta.id && a.secrets.token === b.secrets.token && !keyBoundFieldsDiffer(a.meta, b.meta))
}
