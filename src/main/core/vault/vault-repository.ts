// The open vault's record API: library records, personal entries, settings and spent tokens (keys of other systems and
// the estate: vault-keys.ts and vault-estate.ts, which this extends). Each change is checked here, against records
// re-read if the file changed behind the vault's back, and decides what changed;
// the store engine (store-engine.ts) decides how and when that becomes durable, and answers once it has.
// Secrets stay sealed in memory until asked for, and are handed out only once durable.
import { InputError } from '../errors.ts'
import { isConnection, type IssuedPair, type LibraryMeta, type LibrarySecrets, type PersonalEntryMeta } from '../model.ts'
import { onlyKeys, opaque, record } from './checks.ts'
import { managedCopies, scrubCopy } from './copies.ts'
import { checkEntry, checkEntryPatch, type EntryPatch } from './entry-checks.ts'
import { LibrarySecretsError } from './errors.ts'
import type { DecodedFile, StoredLibrary } from './file-format.ts'
import type { KeyQuarantine } from './key-sealing.ts'
import {
  checkCredentials,
  checkMeta,
  checkPair,
  checkPatch,
  checkSecrets,
  libraryId,
  secretFields,
  withPatch,
  withPreview,
  type ClientCredentials,
  type LibraryPatch,
  type SecretField
} from './library-checks.ts'
import type { Quarantine } from './quarantine.ts'
import { boundFieldsDiffer } from './record-binding.ts'
import { openSecrets, resealed, sealSecret, sealSecrets } from './sealing.ts'
import { applySettingsPatch, type VaultSettings, type VaultSettingsPatch } from './settings.ts'
import type { SpentLedger } from './spent-ledger.ts'
import { DurableStore } from './store-engine.ts'
import type { CheckedOptions } from './vault-load.ts'
import { EstateVault, heldOnlyIf } from './vault-estate.ts'
import { announceChanged } from './vault-keys.ts'
import { VaultRecords } from './vault-records.ts'
import type { Rotation, Vault, VaultStats } from './vault-types.ts'

/** What a new pair changes in a record besides its tokens, dates, scopes and error. */
type PairChanges = Pick<LibraryMeta, 'tokenState'> & Partial<Pick<LibraryMeta, 'lastRefreshedAt'>>

export class FileVault extends EstateVault implements Vault {
  readonly path: string
  readonly #options: CheckedOptions
  readonly #ledger: SpentLedger
  readonly #records: VaultRecords
  readonly #store: DurableStore

  constructor(options: CheckedOptions, ledger: SpentLedger, content: DecodedFile['content'], quarantined?: ReadonlyMap<string, Quarantine>, keysQuarantined?: ReadonlyMap<string, KeyQuarantine>) {
    const records = new VaultRecords(content, quarantined, keysQuarantined)
    const store = new DurableStore(options, ledger, records, content.journalId)
    super(options, ledger, records, store)
    this.path = options.path
    this.#options = options
    this.#ledger = ledger
    this.#records = records
    this.#store = store
  }

  // ── reading ────────────────────────────────────────────────────────────────────────────────────────

  list(): readonly LibraryMeta[] {
    return this.#records.list()
  }

  get(id: string): LibraryMeta | undefined {
    // Every id the vault holds was checked on its way in: only one it does not hold is checked (and refused if no id).
    return this.#records.meta(id) ?? this.#records.meta(libraryId('id', id))
  }

  entries(): readonly PersonalEntryMeta[] {
    // An entry lives only as long as its connection; one left without it (a hand edit) is not listed.
    return this.#records.entries.list().filter((entry) => this.#records.hasLibrary(entry.connectionId))
  }

  entry(id: string): PersonalEntryMeta | undefined {
    const entry = this.#records.entries.get(id) ?? this.#records.entries.get(libraryId('id', id))
    return entry && this.#records.hasLibrary(entry.connectionId) ? entry : undefined
  }

  isSpent(refreshToken: string): boolean {
    return this.#ledger.has(opaque('refreshToken', refreshToken))
  }

  settings(): VaultSettings {
    return this.#records.settings
  }

  async secrets<F extends SecretField = SecretField>(id: string, fields?: readonly F[]): Promise<Pick<LibrarySecrets, F>> {
    this.#store.assertOpen()
    const key = libraryId('id', id)
    const wanted = fields === undefined ? undefined : secretFields('fields', fields)
    const library = await this.#store.read(() => this.#requireTrusted(key))
    // A change not yet on disk is not handed out: a rotated token must be durable first.
    await this.#store.durable(key)
    return this.#opened(library, () => openSecrets(this.#options.cipher, library, wanted))
  }

  stats(): VaultStats {
    return this.#store.stats()
  }

  // ── changing ───────────────────────────────────────────────────────────────────────────────────────

  async add(meta: LibraryMeta, secrets: LibrarySecrets, options: { readonly consumedRefreshToken?: string } = {}): Promise<void> {
    this.#store.assertOpen()
    const checkedSecrets = checkSecrets('secrets', secrets)
    const checkedMeta = withPreview(checkMeta('meta', meta), checkedSecrets.accessToken)
    const consumed = consumedToken(options)
    await this.#store.change(async () => {
      if (this.#records.has(checkedMeta.id)) throw new InputError('meta.id', `A library with id "${checkedMeta.id}" is already in the vault`)
      this.#refuseSpent('secrets.refreshToken', checkedSecrets.refreshToken, checkedMeta.name)
      const sealed = await sealSecrets(this.#options.cipher, checkedMeta, checkedSecrets)
      return () => {
        if (consumed !== null) this.#markSpent(consumed, checkedSecrets.refreshToken)
        this.#put({ meta: checkedMeta, secrets: sealed })
      }
    })
  }

  /**
   * Removes a library record with the entries that use its token (in the same write), or one entry. A record's
   * secrets then leave every file Larder keeps: the write is a whole file (the journal emptied), and each copy beside
   * it is rewritten without the record (copies.ts). Resolves once all of that is done.
   */
  async remove(id: string): Promise<void> {
    this.#store.assertOpen()
    const key = libraryId('id', id)
    let hadSecrets = false
    await this.#store.change(async () => {
      if (this.#records.entries.has(key) && !this.#records.hasLibrary(key)) return () => this.#deleteEntry(key)
      this.#require(key)
      hadSecrets = true
      return () => {
        this.#records.deleteLibrary(key)
        this.#store.changed(key)
        this.#store.wholeFile('whole')
        for (const entryId of this.#records.entries.ofConnection(key)) this.#deleteEntry(entryId)
      }
    })
    if (!hadSecrets) return
    await this.#store.read(async () => {
      for (const copy of managedCopies(this.path)) await scrubCopy(copy.path, key, this.#options.cipher)
    })
  }

  /** Adds libraries reached through a personal token, all in one write. Each names a record holding a personal token. */
  async addEntries(entries: readonly PersonalEntryMeta[]): Promise<void> {
    this.#store.assertOpen()
    if (!Array.isArray(entries)) throw new InputError('entries', 'entries must be a list')
    const checked = entries.map((entry, index) => checkEntry(`entries[${index}]`, entry))
    await this.#store.change(async () => {
      const seen = new Set<string>()
      checked.forEach((entry, index) => {
        const field = `entries[${index}]`
        if (this.#records.has(entry.id) || seen.has(entry.id)) throw new InputError(`${field}.id`, `A library with id "${entry.id}" is already in the vault`)
        seen.add(entry.id)
        const connection = this.#records.library(entry.connectionId)
        if (!connection) throw new InputError(`${field}.connectionId`, `There is no library with id "${entry.connectionId}" in the vault`)
        this.#refuseQuarantined(entry.connectionId)
        if (!isConnection(connection.meta)) {
          throw new InputError(`${field}.connectionId`, `${connection.meta.name} does not hold a personal token, so no other library can share it`)
        }
      })
      return () => {
        for (const entry of checked) this.#putEntry(entry)
      }
    })
  }

  async patchEntry(id: string, patch: EntryPatch): Promise<void> {
    this.#store.assertOpen()
    const key = libraryId('id', id)
    const changes = checkEntryPatch('patch', patch)
    await this.#store.change(async () => {
      const current = this.#records.entries.get(key)
      if (!current) throw new InputError('id', `There is no library with id "${key}" in the vault`)
      return () => this.#putEntry(withPatch(current, changes))
    })
  }

  async patch(id: string, patch: LibraryPatch): Promise<void> {
    this.#store.assertOpen()
    const key = libraryId('id', id)
    const changes = checkPatch('patch', patch)
    await this.#update(key, async (current) => {
      const meta: LibraryMeta = withPatch(current.meta, changes)
      // A field the secrets are bound to: they are sealed again for it (after proving they open for the record as it was).
      if (!boundFieldsDiffer(current.meta, meta)) return { meta, secrets: current.secrets }
      return this.#opened(current, () => resealed(this.#options.cipher, current, meta))
    })
  }

  async replaceCredentials(id: string, credentials: ClientCredentials): Promise<void> {
    this.#store.assertOpen()
    const key = libraryId('id', id)
    const checked = checkCredentials('credentials', credentials)
    await this.#update(key, async (current) => {
      const meta: LibraryMeta = Object.freeze({ ...current.meta, clientId: checked.clientId, lastError: null })
      // The client ID is bound: the tokens are sealed again for the new one.
      const tokens = await this.#opened(current, () => openSecrets(this.#options.cipher, current, ['accessToken', 'refreshToken']))
      return { meta, secrets: await sealSecrets(this.#options.cipher, meta, { ...tokens, clientSecret: checked.clientSecret }) }
    })
  }

  async reauthorize(id: string, pair: IssuedPair, options: { readonly consumedRefreshToken?: string } = {}): Promise<void> {
    this.#store.assertOpen()
    const key = libraryId('id', id)
    const checked = checkPair('pair', pair)
    const consumed = consumedToken(options)
    await this.#update(
      key,
      async (current) => {
        this.#refuseSpent('pair.refreshToken', checked.refreshToken, current.meta.name)
        // A pasted pair was checked with a refresh that issued this one: the library was refreshed just then.
        return this.#withPair(current, checked, { tokenState: 'active', ...(consumed === null ? {} : { lastRefreshedAt: checked.issuedAt }) })
      },
      () => {
        if (consumed !== null) this.#markSpent(consumed, checked.refreshToken)
      }
    )
  }

  async commitRotation(id: string, rotation: Rotation): Promise<void> {
    this.#store.assertOpen()
    const key = libraryId('id', id)
    const raw = record('rotation', rotation)
    onlyKeys('rotation', raw, ['sentRefreshToken', 'pair'])
    const sent = opaque('rotation.sentRefreshToken', raw['sentRefreshToken'])
    const pair = checkPair('rotation.pair', raw['pair'])
    await this.#store.change(async () => {
      let current: StoredLibrary | undefined
      try {
        current = this.#rotatable(key)
      } catch (error) {
        this.#markSpent(sent, pair.refreshToken)
        this.#store.writeSoon()
        throw error
      }
      if (!current) {
        // Removed while its refresh was in flight. The server consumed the token all the same, which a
        // restored backup holding this library must be able to tell.
        this.#markSpent(sent, pair.refreshToken)
        this.#store.writeSoon()
        throw new InputError('id', `There is no library with id "${key}" (it was removed while its token was being refreshed)`)
      }
      // A person's decision that the token is revoked (or moved away) is not overturned by a refresh that raced it.
      const tokenState = current.meta.tokenState === 'revoked' || current.meta.tokenState === 'moved' ? current.meta.tokenState : 'active'
      const next = await this.#withPair(current, pair, { lastRefreshedAt: this.#options.now(), tokenState })
      return () => {
        this.#markSpent(sent, pair.refreshToken)
        this.#put(next)
      }
    })
  }

  async updateSettings(patch: VaultSettingsPatch): Promise<VaultSettings> {
    this.#store.assertOpen()
    applySettingsPatch(this.#records.settings, patch)
    await this.#store.change(async () => {
      const next = applySettingsPatch(this.#records.settings, patch)
      return () => {
        this.#records.replaceSettings(next)
        this.#store.wholeFile('settings')
      }
    })
    return this.#records.settings
  }

  async reloadIfChanged(): Promise<boolean> {
    this.#store.assertOpen()
    return this.#store.reloadIfChanged()
  }

  async flush(): Promise<void> {
    this.#store.assertOpen()
    await this.#store.flush()
  }

  close(): Promise<void> {
    return this.#store.close()
  }

  // ── used by openVault ──────────────────────────────────────────────────────────────────────────────

  /** Writes the whole content at once, outside any batch (new vault, migrated file, journal replayed). */
  writeNow(): void {
    this.#store.writeNow()
  }

  /** The file on disk is exactly what memory holds: remember its stamp. */
  adoptFile(): void {
    this.#store.adoptFile()
  }

  /** The last good backup, saved after the open: nothing is appended (the journal continues it) nor closed before. */
  alongside(task: Promise<void>): void {
    this.#store.writeAfter(task)
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * Replaces one library record, in order with every other change: `next` builds the new record from the current
   * one (and may refuse); `alsoApply` runs with the replacement. Resolves once it is durable.
   */
  async #update(key: string, next: (current: StoredLibrary) => Promise<StoredLibrary>, alsoApply?: () => void): Promise<void> {
    await this.#store.change(async () => {
      const library = await next(this.#requireTrusted(key))
      return () => {
        alsoApply?.()
        this.#put(library)
      }
    })
  }

  /** The record with a newly issued pair sealed in: its dates and scopes, no error, the new access token's preview. */
  async #withPair(current: StoredLibrary, pair: IssuedPair, changes: PairChanges): Promise<StoredLibrary> {
    const meta: LibraryMeta = withPreview({ ...heldOnlyIf(current.meta, changes.tokenState), issuedAt: pair.issuedAt, expiresAt: pair.expiresAt, scopes: pair.scopes, lastError: null, ...changes }, pair.accessToken)
    const accessToken = await sealSecret(this.#options.cipher, meta, 'accessToken', pair.accessToken)
    const refreshToken = await sealSecret(this.#options.cipher, meta, 'refreshToken', pair.refreshToken)
    return { meta, secrets: Object.freeze({ ...current.secrets, accessToken, refreshToken }) }
  }

  #put(library: StoredLibrary): void {
    this.#records.putLibrary(library)
    this.#store.changed(library.meta.id)
  }

  #putEntry(entry: PersonalEntryMeta): void {
    this.#records.entries.set(entry)
    this.#store.changed(entry.id)
  }

  #deleteEntry(id: string): void {
    this.#records.entries.delete(id)
    this.#store.changed(id)
  }

  #markSpent(sent: string, issuedRefreshToken: string): void {
    // A server that hands back the same refresh token did not rotate it: it is still the live one.
    if (sent !== issuedRefreshToken) this.#ledger.add(sent)
  }

  #refuseSpent(field: string, refreshToken: string, name: string): void {
    if (this.#ledger.has(refreshToken)) {
      throw new InputError(field, `This refresh token for ${name} has already been used and no longer works; ask the library's owner for a new one`)
    }
  }

  #require(id: string): StoredLibrary {
    const library = this.#records.library(id)
    if (!library) throw new InputError('id', `There is no library with id "${id}" in the vault`)
    return library
  }

  /** The record, unless it was changed outside Larder: then its failure, and nothing is done with it. */
  #requireTrusted(id: string): StoredLibrary {
    const library = this.#require(id)
    this.#refuseQuarantined(id)
    return library
  }

  #refuseQuarantined(id: string): void {
    const found = this.#records.quarantined(id)
    if (found) throw found.error
  }

  /**
   * The record a rotation is stored on. For one found changed outside Larder after a refresh had already used it,
   * the version that refresh used (the one shown): the new token must not be lost, and is stored with what it was
   * sent with. Undefined when there is none.
   */
  #rotatable(id: string): StoredLibrary | undefined {
    const current = this.#records.library(id)
    const found = this.#records.quarantined(id)
    if (!current || !found) return current
    if (!found.trusted) throw found.error
    return { meta: found.shown, secrets: current.secrets }
  }

  /** Runs `open` on the record's secrets; when they do not open for it, the record is refused from then on. */
  async #opened<T>(library: StoredLibrary, open: () => Promise<T>): Promise<T> {
    try {
      return await open()
    } catch (error) {
      const id = library.meta.id
      if (error instanceof LibrarySecretsError && this.#records.library(id) === library && !this.#records.quarantined(id)) {
        this.#records.quarantine(id, error, this.#options.now())
        announceChanged(this.#options, id)
      }
      throw error
    }
  }
}

function consumedToken(options: { readonly consumedRefreshToken?: string }): string | null {
  return options.consumedRefreshToken === undefined ? null : opaque('options.consumedRefreshToken', options.consumedRefreshToken)
}
