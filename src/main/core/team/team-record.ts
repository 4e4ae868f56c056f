// What a team row holds once opened (issue 16): a library record (its meta and its secrets) or a personal-token entry,
// as the member's local vault holds them. Checked on the way out of a row with the vault's own checks, so a blob that
// opens but holds something the vault would refuse is refused here. `lastUsedAt` is each member's own (copies made on
// this machine): it is never written to a row, and a row taken in keeps the local value.
import type { LibraryMeta, LibrarySecrets, PersonalEntryMeta } from '../model.ts'
import { checkEntry } from '../vault/entry-checks.ts'
import { checkMeta, checkSecrets, withPreview } from '../vault/library-checks.ts'
import type { CredentialKind } from './rows.ts'

export type TeamRecord =
  | { readonly kind: 'library'; readonly meta: LibraryMeta; readonly secrets: LibrarySecrets }
  | { readonly kind: 'entry'; readonly entry: PersonalEntryMeta }

/** The JSON sealed in a row (the kind is the row's own clear column, and bound into the seal). */
export function recordBody(record: TeamRecord): unknown {
  if (record.kind === 'entry') return { entry: { ...record.entry, lastUsedAt: null } }
  return { meta: { ...record.meta, lastUsedAt: null }, secrets: record.secrets }
}

/** A row's opened JSON as a record of its kind; throws (the vault's InputError) when it is not one. */
export function recordOf(kind: CredentialKind, body: unknown): TeamRecord {
  const raw = (body ?? {}) as { meta?: unknown; secrets?: unknown; entry?: unknown }
  if (kind === 'entry') return { kind, entry: checkEntry('row.entry', raw.entry) }
  const secrets = checkSecrets('row.secrets', raw.secrets)
  return { kind, meta: withPreview(checkMeta('row.meta', raw.meta), secrets.accessToken), secrets }
}

export function recordId(record: TeamRecord): string {
  return record.kind === 'entry' ? record.entry.id : record.meta.id
}

export function recordName(record: TeamRecord): string {
  return record.kind === 'entry' ? record.entry.name : record.meta.name
}

/** Row ids are uuid (the table's key); a record Larder made has one, anything else cannot go to the team. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
