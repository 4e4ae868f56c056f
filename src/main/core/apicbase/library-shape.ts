// The accounts endpoints' request and response shapes, in one place. Apicbase does not publish them
// (API.md: "assume {id, name, status} items … and a body like {"library": <id>}"), so if the real
// API turns out different, this file is the one to correct.
import { asRecord, idString, stringField } from './parse.ts'
import type { ApicbaseLibrary } from './types.ts'

/** The JSON body of POST /api/v2/accounts/libraries/active/. Numeric ids go back as numbers. */
export function switchRequestBody(libraryId: string): string {
  const id: number | string = /^\d{1,15}$/.test(libraryId) ? Number(libraryId) : libraryId
  return JSON.stringify({ library: id })
}

/** One library item: `{id, name, status}`, tolerating a numeric or string id and missing name/status. */
function parseLibraryItem(value: unknown): ApicbaseLibrary | null {
  const record = asRecord(value)
  const id = idString(record?.['id'])
  if (record === null || id === null) return null
  const name = stringField(record, 'name')
  const status = stringField(record, 'status')
  return { id, name: name !== null && name.trim() !== '' ? name : null, status: status !== null && status !== '' ? status : null }
}

/**
 * The active library (GET answer, and the POST answer when it says): the item itself, or wrapped as
 * `{"library": item}` or `{"library": id}`. Null when none of those.
 */
export function parseActiveLibrary(value: unknown): ApicbaseLibrary | null {
  const direct = parseLibraryItem(value)
  if (direct !== null) return direct
  const wrapped = asRecord(value)?.['library']
  const item = parseLibraryItem(wrapped)
  if (item !== null) return item
  const id = idString(wrapped)
  return id === null ? null : { id, name: null, status: null }
}

export interface LibraryPage {
  readonly items: ApicbaseLibrary[]
  /** The `next` link as given (absolute or relative), or null on the last page. */
  readonly next: string | null
}

/** A page of libraries: DRF's `{count, next, previous, results}` or a bare array. Null if neither. */
export function parseLibraryPage(value: unknown): LibraryPage | null {
  const record = asRecord(value)
  const results = Array.isArray(value) ? value : record?.['results']
  if (!Array.isArray(results)) return null
  const items: ApicbaseLibrary[] = []
  for (const entry of results) {
    const item = parseLibraryItem(entry)
    if (item !== null) items.push(item) // one unreadable entry is skipped, not fatal…
  }
  if (results.length > 0 && items.length === 0) return null // …but a page of nothing readable is the wrong shape
  const next = stringField(record, 'next')
  return { items, next: next !== null && next.trim() !== '' ? next.trim() : null }
}
