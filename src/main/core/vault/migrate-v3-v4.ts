// Schema 3 → 4: secrets bound to their record. Until 3 a secret was sealed as [context, library, field, value], so
// the API base URL, client ID, token type and library beside it could be changed without anything noticing. From 4
// each is sealed with those fields too (sealing.ts, record-binding.ts). The file's shape does not change, so the
// JSON step only moves the version; the secrets are sealed again by the vault once it has the key (sealAgain, at
// open, before anything else sees the records), and written with the rest of the migrated file, the original kept
// as `.v3.bak`. A record from before cannot be checked: it is trusted once, as found, when it is sealed again.
import type { Cipher } from './cipher.ts'
import { LibrarySecretsError } from './errors.ts'
import type { StoredLibrary } from './file-format.ts'
import type { Migration } from './migrations.ts'
import { quarantine, type Quarantine } from './quarantine.ts'
import { resealed } from './sealing.ts'

export const MIGRATE_V3_TO_V4: Migration = {
  from: 3,
  to: 4,
  migrate(data) {
    return { ...data }
  }
}

/**
 * Seals every record's secrets again, bound, in place. A record whose secrets do not open even as schema 3 sealed
 * them is left exactly as found and refused (quarantined) like any record changed outside Larder.
 */
export async function sealAgain(cipher: Cipher, libraries: Map<string, StoredLibrary>, now: number): Promise<Map<string, Quarantine>> {
  const refused = new Map<string, Quarantine>()
  const all = [...libraries.values()]
  for (let start = 0; start < all.length; start += BATCH) {
    await Promise.all(
      all.slice(start, start + BATCH).map(async (library) => {
        try {
          libraries.set(library.meta.id, await resealed(cipher, library, library.meta, 'unbound-too'))
        } catch (error) {
          if (!(error instanceof LibrarySecretsError)) throw error
          refused.set(library.meta.id, quarantine(error, library.meta, false, now))
        }
      })
    )
  }
  return refused
}

const BATCH = 64
