// The changes a member makes to a team credential, as pure functions from the row's record to the next one (issue
// 16): the team vault applies them to the newest row it reads, and again to a newer one when another member wrote
// first, so neither change is lost. The same rules as the local vault's (vault-repository.ts, vault-estate.ts).
import { InputError } from '../errors.ts'
import type { LibraryHold, LibraryMeta, LibrarySecrets, PersonalEntryMeta } from '../model.ts'
import type { EntryPatch } from '../vault/entry-checks.ts'
import { withPatch, type ClientCredentials, type LibraryPatch } from '../vault/library-checks.ts'
import type { TeamRecord } from './team-record.ts'

export type RecordChange = (current: TeamRecord) => TeamRecord

type LibraryRecord = Extract<TeamRecord, { kind: 'library' }>

function library(current: TeamRecord): LibraryRecord {
  if (current.kind !== 'library') throw new InputError('id', `${current.entry.name} is a library reached through a personal token, not one holding a token pair`)
  return current
}

function entry(current: TeamRecord): PersonalEntryMeta {
  if (current.kind !== 'entry') throw new InputError('id', `${current.meta.name} holds a token pair; it is not a library reached through a personal token`)
  return current.entry
}

const libraryRecord = (meta: LibraryMeta, secrets: LibrarySecrets): TeamRecord => ({ kind: 'library', meta, secrets })

/** A patch's shared part, and its member-only part (`lastUsedAt`, which never goes to the row). */
export function splitLastUsed<P extends { readonly lastUsedAt?: number | null }>(patch: P): { readonly shared: Omit<P, 'lastUsedAt'> | null; readonly lastUsedAt: P['lastUsedAt'] | undefined } {
  const { lastUsedAt, ...shared } = patch
  return { shared: Object.keys(shared).length === 0 ? null : shared, lastUsedAt }
}

export function patchLibrary(patch: Omit<LibraryPatch, 'lastUsedAt'>): RecordChange {
  return (current) => {
    const { meta, secrets } = library(current)
    return libraryRecord(withPatch(meta, patch), secrets)
  }
}

export function patchEntryRecord(patch: Omit<EntryPatch, 'lastUsedAt'>): RecordChange {
  return (current) => ({ kind: 'entry', entry: withPatch(entry(current), patch) })
}

/** A new client ID and secret (always together); the last error goes, as locally. */
export function replaceClient(credentials: ClientCredentials): RecordChange {
  return (current) => {
    const { meta, secrets } = library(current)
    return libraryRecord(Object.freeze({ ...meta, clientId: credentials.clientId, lastError: null }), { ...secrets, clientSecret: credentials.clientSecret })
  }
}

/** Holds refreshes back (moved, paused) or lets them go on (null: the state before the hold comes back). */
export function holdLibrary(hold: LibraryHold | null): RecordChange {
  return (current) => {
    const { meta: currentMeta, secrets } = library(current)
    const { hold: before, ...rest } = currentMeta
    const meta: LibraryMeta =
      hold === null
        ? { ...rest, tokenState: before?.was ?? (currentMeta.tokenState === 'moved' || currentMeta.tokenState === 'paused' ? 'active' : currentMeta.tokenState) }
        : { ...rest, tokenState: hold.kind, hold }
    return libraryRecord(Object.freeze(meta), secrets)
  }
}
