// The changes a person makes to team credentials (issue 16, step 5): each goes to its row first, then into the local
// vault as the row now stands, so no member holds a change the team does not. A change is a compare-and-set on the
// row's version: when another member wrote first, it is applied again to the newer row, up to RETRIES times. A
// change under a key the team has left (a removal not followed yet) is refused, so a removed member could open none
// of it. Offline from the team, a change is refused by name, except `lastUsedAt` (this member's own, kept locally)
// and the engine's verdict on a refresh (kept here and written once back, team-verdicts.ts).
import { InputError } from '../errors.ts'
import { isConnection, type LibraryHold, type LibraryMeta, type LibrarySecrets, type PersonalEntryMeta } from '../model.ts'
import { checkEntry, checkEntryPatch, type EntryPatch } from '../vault/entry-checks.ts'
import { checkCredentials, checkHold, checkMeta, checkPatch, checkSecrets, libraryId, withPreview, type ClientCredentials, type LibraryPatch } from '../vault/library-checks.ts'
import type { Vault } from '../vault/vault-types.ts'
import type { TeamDb } from './db/transaction.ts'
import type { TeamSession } from './membership.ts'
import type { RowIndex } from './row-index.ts'
import { currentEpoch, insertRow, readRow, staleEpochError, tombstoneRow, writeRowIfVersion, type RowHead } from './row-writes.ts'
import type { TeamSyncState } from './sync.ts'
import { adoptRow } from './team-adopt.ts'
import { isConnectionError, TeamOfflineError } from './team-errors.ts'
import { holdLibrary, patchEntryRecord, patchLibrary, replaceClient, splitLastUsed, type RecordChange } from './team-patches.ts'
import { UUID, type TeamRecord } from './team-record.ts'
import { shareLocalRecords, type Shared } from './team-share.ts'
import { isVerdict, type HeldVerdicts } from './team-verdicts.ts'

/** How many times a change is applied again to a row another member wrote first. */
const RETRIES = 3

const NOT_IN_TEAM = (id: string) => new InputError('id', `There is no team credential with id "${id}" (another member may have removed it)`)

/** What the team vault lends its writes. */
export interface TeamWritesHost {
  readonly local: Vault
  readonly db: TeamDb
  readonly index: RowIndex
  /** Verdicts kept here while cut off, written to their rows once back. */
  readonly verdicts: HeldVerdicts
  /** The session the vault writes under now (the current epoch's). */
  session(): TeamSession
  /** Online or offline from the team (out of it counts as offline). */
  state(): TeamSyncState
  now(): number
  /** Runs `work` once every earlier write or take-in of these ids is through. */
  exclusive<T>(ids: readonly string[], work: () => Promise<T>): Promise<T>
  /** The row's written head, remembered as this machine's knowledge of it. */
  remember(head: RowHead): void
  /** Reads this member's membership again (a new epoch is followed). */
  checkMembership(): Promise<void>
}

export class TeamVaultWrites {
  readonly #host: TeamWritesHost

  constructor(host: TeamWritesHost) {
    this.#host = host
  }

  /** Gives every local record without a row one (a team made from a vault holding libraries); offline refused. */
  async shareLocal(): Promise<Shared> {
    const { local, db, index } = this.#host
    this.requireOnline('This vault’s libraries')
    const ids = [...local.list().map((meta) => meta.id), ...local.entries().map((entry) => entry.id)]
    return this.#host.exclusive(ids, () => this.remote('This vault’s libraries', () => shareLocalRecords(local, db, this.#host.session(), index, (head) => this.#host.remember(head))))
  }

  async add(meta: LibraryMeta, secrets: LibrarySecrets, options: { readonly consumedRefreshToken?: string } = {}): Promise<void> {
    const { local, db } = this.#host
    const checkedSecrets = checkSecrets('secrets', secrets)
    const checkedMeta = withPreview(checkMeta('meta', meta), checkedSecrets.accessToken)
    teamId('meta.id', checkedMeta.id)
    this.requireOnline(checkedMeta.name)
    // What the local vault would refuse is refused before the row exists.
    if (local.get(checkedMeta.id) !== undefined || local.entry(checkedMeta.id) !== undefined) throw new InputError('meta.id', `A library with id "${checkedMeta.id}" is already in the vault`)
    if (local.isSpent(checkedSecrets.refreshToken)) throw new InputError('secrets.refreshToken', `This refresh token for ${checkedMeta.name} has already been used and no longer works; ask the library's owner for a new one`)
    await this.#host.exclusive([checkedMeta.id], async () => {
      const head = await this.remote(checkedMeta.name, () => insertRow(db, this.#host.session(), { kind: 'library', meta: checkedMeta, secrets: checkedSecrets }))
      await local.add(checkedMeta, checkedSecrets, options)
      this.#host.remember(head)
    })
  }

  async remove(id: string): Promise<void> {
    const { local, db } = this.#host
    const key = libraryId('id', id)
    const name = this.nameOf(key)
    const entryIds = local.get(key) === undefined ? [] : local.entries().filter((entry) => entry.connectionId === key).map((entry) => entry.id)
    this.requireOnline(name)
    await this.#host.exclusive([key, ...entryIds], async () => {
      // The record first: a member taking in its tombstone drops the entries with it.
      for (const rowId of [key, ...entryIds]) {
        const head = await this.remote(name, () => tombstoneRow(db, this.#host.session(), rowId))
        if (head !== null) this.#host.remember(head)
      }
      await local.remove(key)
    })
  }

  async addEntries(entries: readonly PersonalEntryMeta[]): Promise<void> {
    const { local, db } = this.#host
    if (!Array.isArray(entries)) throw new InputError('entries', 'entries must be a list')
    const checked = entries.map((entry, index) => checkEntry(`entries[${index}]`, entry))
    checked.forEach((entry, index) => {
      teamId(`entries[${index}].id`, entry.id)
      const connection = local.get(entry.connectionId)
      if (connection === undefined) throw new InputError(`entries[${index}].connectionId`, `There is no library with id "${entry.connectionId}" in the vault`)
      if (!isConnection(connection)) throw new InputError(`entries[${index}].connectionId`, `${connection.name} does not hold a personal token, so no other library can share it`)
    })
    if (checked.length === 0) return local.addEntries([])
    this.requireOnline(checked[0]?.name ?? 'The library')
    await this.#host.exclusive(
      checked.map((entry) => entry.id),
      async () => {
        const heads: RowHead[] = []
        try {
          for (const entry of checked) heads.push(await this.remote(entry.name, () => insertRow(db, this.#host.session(), { kind: 'entry', entry })))
          await local.addEntries(checked)
        } catch (error) {
          // The local vault refused them (an id taken meanwhile): the rows go too, so no member takes them in.
          for (const head of heads) await tombstoneRow(db, this.#host.session(), head.id).catch(() => null)
          throw error
        }
        for (const head of heads) this.#host.remember(head)
      }
    )
  }

  async patchEntry(id: string, patch: EntryPatch): Promise<void> {
    const key = libraryId('id', id)
    const { shared, lastUsedAt } = splitLastUsed(checkEntryPatch('patch', patch))
    if (shared !== null) await this.#change(key, patchEntryRecord(shared))
    if (lastUsedAt !== undefined) await this.#host.local.patchEntry(key, { lastUsedAt })
  }

  async patch(id: string, patch: LibraryPatch): Promise<void> {
    const { local } = this.#host
    const key = libraryId('id', id)
    const { shared, lastUsedAt } = splitLastUsed(checkPatch('patch', patch))
    if (shared !== null) {
      // A verdict judges the pair this machine sent: a row holding another pair by now (refreshed elsewhere) keeps it.
      const judged = isVerdict(shared) ? await local.secrets(key, ['refreshToken']).then((held) => held.refreshToken, () => null) : null
      const applies = (record: TeamRecord): boolean => judged === null || record.kind !== 'library' || record.secrets.refreshToken === judged
      try {
        await this.#change(key, patchLibrary(shared), applies)
      } catch (error) {
        // The engine's verdict on the pair it sent outlives a cut (team-verdicts.ts): here now, in the row once back.
        if (!(error instanceof TeamOfflineError) || !isVerdict(shared)) throw error
        await local.patch(key, shared)
        this.#host.verdicts.keep(key)
      }
    }
    if (lastUsedAt !== undefined) await local.patch(key, { lastUsedAt })
  }

  async replaceCredentials(id: string, credentials: ClientCredentials): Promise<void> {
    await this.#change(libraryId('id', id), replaceClient(checkCredentials('credentials', credentials)))
  }

  async setHold(id: string, hold: LibraryHold | null): Promise<void> {
    await this.#change(libraryId('id', id), holdLibrary(hold === null ? null : checkHold('hold', hold)))
  }

  /** Refuses a change while offline from the team, naming it. */
  requireOnline(what: string): void {
    const state = this.#host.state()
    if (state.state !== 'online') throw new TeamOfflineError(what, state.since, state.why)
  }

  /** A call to the team database; a connection that fails on the way is said as offline. */
  async remote<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      if (isConnectionError(error)) throw new TeamOfflineError(what, this.#host.now(), error instanceof Error ? error.message : String(error))
      throw error
    }
  }

  /** The name of a library or entry in the vault, for messages; an unknown id is refused. */
  nameOf(id: string): string {
    const { local } = this.#host
    const name = local.get(id)?.name ?? local.entry(id)?.name
    if (name === undefined) throw new InputError('id', `There is no library with id "${id}" in the vault`)
    return name
  }

  /**
   * Applies `change` to the newest row, written if the row still stands at the version read (else read again and
   * applied again, up to RETRIES times), then takes the written row into the local vault. A row `applies` says no to is
   * left as it is (and taken in by sync as usual).
   */
  async #change(id: string, change: RecordChange, applies: (record: TeamRecord) => boolean = () => true): Promise<void> {
    const { local, db, index } = this.#host
    const name = this.nameOf(id)
    this.requireOnline(name)
    /** Refused under a key the team left (a removal not followed yet): followed after this turn; the person tries again. */
    const refuseIfStale = async (): Promise<void> => {
      if ((await this.remote(name, () => currentEpoch(db))) <= this.#host.session().epoch) return
      void Promise.resolve().then(() => this.#host.checkMembership()).catch(() => undefined)
      throw staleEpochError()
    }
    await this.#host.exclusive([id], async () => {
      for (let attempt = 0; attempt <= RETRIES; attempt++) {
        const row = await this.remote(name, () => readRow(db, this.#host.session(), id))
        if (row === null || row.deleted) throw NOT_IN_TEAM(id)
        if (row.record === null) await refuseIfStale()
        if (row.record === null) throw new InputError('id', `${name} in the team database does not open here (${row.refusal ?? 'unreadable'}); nothing was changed`)
        const known = index.get(id)
        if (known !== undefined && row.pairVersion < known.pairVersion) throw new InputError('id', `The team database holds an older version of ${name} than this machine; nothing was changed`)
        if (!applies(row.record)) return
        const next: TeamRecord = change(row.record)
        const head = await this.remote(name, () => writeRowIfVersion(db, this.#host.session(), row, next))
        if (head === null) await refuseIfStale()
        if (head === null) continue
        const adopted = await adoptRow(local, index, { ...head, record: next, refusal: null })
        if ('refusal' in adopted) throw new InputError('id', adopted.refusal.message)
        return
      }
      throw new InputError('id', `${name} was changed by another member each of the ${RETRIES + 1} times this change was tried; nothing was changed. Try again.`)
    })
  }
}

function teamId(field: string, id: string): void {
  if (!UUID.test(id)) throw new InputError(field, `"${id}" cannot be a team credential's id (a team row's id is a UUID)`)
}
