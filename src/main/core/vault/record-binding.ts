// What each sealed secret is bound to besides its library and field: every field of its record that decides where
// and how the secret is sent (API base URL, client ID, token type), or which library it is taken for (the Apicbase
// library, the names a person picks it by). A record whose fields differ from the ones inside its secrets was
// changed outside Larder. Dates, scopes, state and errors are not bound: Larder changes them all the time, and none
// of them can send a secret anywhere.
import type { LibraryMeta } from '../model.ts'
import { baseUrl } from './checks.ts'

/** In the order they are sealed, with the words a message uses for each. */
export const BOUND_FIELDS = [
  ['name', 'name'],
  ['apicbaseLibraryId', 'Apicbase library'],
  ['apicbaseLibraryName', 'Apicbase library name'],
  ['tokenType', 'token type'],
  ['clientId', 'client ID'],
  ['apiBaseUrl', 'API base URL']
] as const satisfies readonly (readonly [keyof LibraryMeta, string])[]

export type BoundMeta = Pick<LibraryMeta, (typeof BOUND_FIELDS)[number][0]>

/**
 * The bound fields as sealed: none of them can hold the separator (names are checked free of control characters,
 * ids and URLs are printable), and null is '' (which no bound field may be).
 */
export function bindingOf(meta: BoundMeta): string[] {
  return BOUND_FIELDS.map(([key]) => meta[key] ?? '')
}

/** The words for the bound fields of `meta` that differ from the sealed ones (empty when they all match). */
export function changedFields(meta: BoundMeta, sealed: readonly string[]): string[] {
  const changed: string[] = []
  BOUND_FIELDS.forEach(([key, words], index) => {
    const value = sealed[index] ?? ''
    const current = meta[key] ?? ''
    const same = key === 'apiBaseUrl' ? sameBaseUrl(current, value) : current === value
    if (!same) changed.push(words)
  })
  return changed
}

export function boundFieldsDiffer(a: BoundMeta, b: BoundMeta): boolean {
  return BOUND_FIELDS.some(([key]) => a[key] !== b[key])
}

/** Compared as the parser reads them today, so a change in how URLs are written out is not taken for tampering. */
function sameBaseUrl(current: string, sealed: string): boolean {
  if (current === sealed) return true
  try {
    return baseUrl('sealed', sealed) === current
  } catch {
    return false
  }
}
