// Schema 1 → 2: personal entries. Version 1 kept one record per token; a personal token's record was also "the
// library" it had been added for (Larder recorded the library the token acted on when it was added). Version 2 keeps
// that record, unchanged, as the connection that owns the token pair, and adds a top-level `entries` map of the
// libraries reached through it. So that nothing a version 1 vault meant is lost, each personal record whose library
// was known gets one entry for that library. Records, secrets and settings are carried over byte for byte.
import { createHash } from 'node:crypto'
import type { Migration } from './migrations.ts'

const MAX_NAME = 100
 
const CONTROL = /[\u0000-\u001f\u007f]/g

export const MIGRATE_V1_TO_V2: Migration = {
  from: 1,
  to: 2,
  migrate(data) {
    if ('entries' in data) throw new Error('a version 1 file cannot already have "entries"')
    const libraries = data['libraries']
    const entries: Record<string, unknown> = {}
    // A file whose libraries are not an object is refused by the reader that runs next, with its own message.
    if (isRecord(libraries)) {
      const taken = new Set(Object.keys(libraries))
      for (const [id, value] of Object.entries(libraries)) {
        const meta = isRecord(value) ? value['meta'] : undefined
        if (!isRecord(meta) || meta['tokenType'] !== 'personal') continue
        const libraryId = meta['apicbaseLibraryId']
        if (typeof libraryId !== 'string' || libraryId.trim() === '') continue
        const entryId = entryIdFor(id, libraryId, taken)
        taken.add(entryId)
        const libraryName = meta['apicbaseLibraryName']
        entries[entryId] = {
          id: entryId,
          name: displayName(libraryName) ?? meta['name'],
          connectionId: id,
          apicbaseLibraryId: libraryId,
          apicbaseLibraryName: typeof libraryName === 'string' ? libraryName : null,
          addedAt: meta['addedAt'],
          lastUsedAt: meta['lastUsedAt'] ?? null
        }
      }
    }
    return { ...data, entries }
  }
}

/** Stable (the same file migrates to the same ids), within the id rules (printable, no spaces, ≤ 128), unique. */
function entryIdFor(connectionId: string, libraryId: string, taken: ReadonlySet<string>): string {
  const base = `entry-${createHash('sha256').update(`${connectionId}\u0000${libraryId}`).digest('hex').slice(0, 32)}`
  let id = base
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`
  return id
}

/** The Apicbase library's name as an entry name (one line, 1–100 characters), or null to keep the record's. */
function displayName(value: unknown): string | null {
  if (typeof value !== 'string') return null
  const name = value.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_NAME).trim()
  return name === '' ? null : name
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
