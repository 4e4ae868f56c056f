// Records the vault sends nothing for: their secrets do not open for the record as it is (record-binding.ts), so the
// record was changed outside Larder. Such a record stays in the vault exactly as found — kept, written out again
// byte for byte with the rest, never sealed again, stripped or repaired — and is shown with a 'tampered' failure.
// When the vault had trusted an earlier version of it (the change came in while it ran), that version is what it
// shows and acts on, so nothing read before the change can be sent where the change points.
import type { LibraryFailure, LibraryMeta } from '../model.ts'
import type { Cipher } from './cipher.ts'
import { LibrarySecretsError } from './errors.ts'
import type { StoredLibrary } from './file-format.ts'
import { boundFieldsDiffer } from './record-binding.ts'
import { openSecret } from './sealing.ts'

export interface Quarantine {
  readonly error: LibrarySecretsError
  /** What list() and get() give for the record: the version shown (see `trusted`) with the failure. */
  readonly shown: LibraryMeta
  /** `shown` is a version whose secrets opened for it (a rotation already sent for it may still be stored). */
  readonly trusted: boolean
}

export function quarantine(error: LibrarySecretsError, base: LibraryMeta, trusted: boolean, now: number): Quarantine {
  const failure: LibraryFailure = Object.freeze({ kind: 'tampered', message: error.message, at: now })
  return Object.freeze({ error, shown: Object.freeze({ ...base, lastError: failure }), trusted })
}

/** Why the record's secrets do not open for it (its refresh token is checked; every other is checked when opened), or null. */
export async function checkRecord(cipher: Cipher, library: StoredLibrary): Promise<LibrarySecretsError | null> {
  try {
    await openSecret(cipher, library, 'refreshToken')
    return null
  } catch (error) {
    if (error instanceof LibrarySecretsError) return error
    throw error
  }
}

/** Checks many records a batch at a time (a keychain cipher answers each on another thread). */
export async function checkRecords(cipher: Cipher, libraries: Iterable<StoredLibrary>, now: number): Promise<Map<string, Quarantine>> {
  const found = new Map<string, Quarantine>()
  const all = [...libraries]
  for (let start = 0; start < all.length; start += CHECK_BATCH) {
    const batch = all.slice(start, start + CHECK_BATCH)
    const errors = await Promise.all(batch.map((library) => checkRecord(cipher, library)))
    errors.forEach((error, index) => {
      const library = batch[index]!
      if (error) found.set(library.meta.id, quarantine(error, library.meta, false, now))
    })
  }
  return found
}

const CHECK_BATCH = 256

/** Same bound fields and the same sealed values: whatever was found about one holds for the other. */
export function sameSealing(a: StoredLibrary, b: StoredLibrary): boolean {
  if (a === b) return true
  return (
    !boundFieldsDiffer(a.meta, b.meta) &&
    a.meta.id === b.meta.id &&
    a.secrets.clientSecret === b.secrets.clientSecret &&
    a.secrets.accessToken === b.secrets.accessToken &&
    a.secrets.refreshToken === b.secrets.refreshToken
  )
}
