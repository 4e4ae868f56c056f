// The open vault's record API: library records, personal entries, settings and spent tokens. Each change is
// checked here, against records re-read if the file changed behind the vault's back, and decides what changed;
// the store engine (store-engine.ts) decides how and when that becomes durable, and answers once it has.
// Secrets stay sealed in memory until asked for, and are handed out only once durable.
import { InputError } from '../errors.ts'
import { isConnection, type IssuedPair, type LibraryMeta, type LibrarySecrets, type PersonalEntryMeta } from '../model.ts'
import { onlyKeys, opaque, record } from './checks.ts'
import { checkEntry, checkEntryPatch, type EntryPatch } from './entry-checks.ts'
import type { DecodedFile, StoredLibrary } from './file-format.ts'
import {
  checkCredentials,
  checkMeta,
  checkPair,
  checkPatch,
  checkSecrets,
  libraryId,
  secretFields,
  withPreview,
  type ClientCredentials,
  type LibraryPatch,
  type SecretField
} from './library-checks.ts'
import { openSecrets, sealSecret, sealSecrets } from './sealing.ts'
import { applySettingsPatch, type VaultSettings, type VaultSettingsPatch } from './settings.ts'
import type { SpentLedger } from './spent-ledger.ts'
import { DurableStore } from './store-engine.ts'
import type { CheckedOptions } from './vault-load.ts'
import { VaultRecords } from './vault-records.ts'
import type { Rotation, Vault, VaultStats } from './vault-types.ts'

/** What a new pair changes in a record besides its tokens, dates, scopes and error. */
type PairChanges = Pick<LibraryMeta, 'tokenState'> & Partial<Pick<LibraryMeta, 'lastRefreshedAt'>>

export class FileVault implements Vault {
  readonly path: string
  readonly #options: CheckedOptions
  readonly #ledger: SpentLedger
  readonly #records: VaultRecords
  readonly #store: DurableStore

  constructor(options: CheckedOptions, ledger: SpentLedger, content: DecodedFile['content']) {
    this.path = options.path
    this.#options = options
    this.#ledger = ledger
    this.#records = new VaultRecords(content)
    this.#store = new DurableStore(options, ledger, this.#records, content.journalId)
  }

  // ── reading ────────────────────────────────────────────────────────────────────────────────────────

  list(): readonly LibraryMeta[] {
    return this.#records.list()
  }

  get(id: string): LibraryMeta | undefined {
    return this.#records.library(libraryId('id', id))?.meta
  }

  entries(): readonly PersonalEntryMeta[] {
    // An entry lives only as long as its connection; one left without it (a hand edit) is not listed.
    return this.#records.entries.list().filter((entry) => this.#records.hasLibrary(entry.connectionId))
  }

  entry(id: string): PersonalEntryMeta | undefined {
    const entry = this.#records.entries.get(libraryId('id', id))
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
    const library = await this.#store.read(() => this.#require(key))
    // A change not yet on disk is not handed out: a rotated token must be durable first.
    await this.#store.durable(key)
    return openSecrets(this.#options.cipher, library, wanted)
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
      const sealed = await sealSecrets(this.#options.cipher, checkedMeta.id, checkedSecrets)
      return () => {
        if (consumed !== null) this.#markSpent(consumed, checkedSecrets.refreshToken)
        this.#put({ meta: checkedMeta, secrets: sealed })
      }
    })
  }

  /** Removes a library record with the entries that use its token (in the same write), or one entry. */
  async remove(id: string): Promise<void> {
    this.#store.assertOpen()
    const key = libraryId('id', id)
    await this.#store.change(async () => {
      if (this.#records.entries.has(key) && !this.#records.hasLibrary(key)) return () => this.#deleteEntry(key)
      this.#require(key)
      return () => {
        this.#records.deleteLibrary(key)
        this.#store.changed(key)
        for (const entryId of this.#records.entries.ofConnection(key)) this.#deleteEntry(entryId)
      }
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
      return () => this.#putEntry(Object.freeze({ ...current, ...changes }))
    })
  }

  async patch(id: string, patch: LibraryPatch): Promise<void> {
    this.#store.assertOpen()
    const key = libraryId('id', id)
    const changes = checkPatch('patch', patch)
    await this.#update(key, async (current) => ({ meta: Object.freeze({ ...current.meta, ...changes }), secrets: current.secrets }))
  }

  async replaceCredentials(id: string, credentials: ClientCredentials): Promise<void> {
    this.#store.assertOpen()
    const key = libraryId('id', id)
    const checked = checkCredentials('credentials', credentials)
    await this.#update(key, async (current) => ({
      meta: Object.freeze({ ...current.meta, clientId: checked.clientId, lastError: null }),
      secrets: Object.freeze({ ...current.secrets, clientSecret: await sealSecret(this.#options.cipher, key, 'clientSecret', checked.clientSecret) })
    }))
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
        return this.#withPair(current, checked, { tokenState: 'active' })
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
      const current = this.#records.library(key)
      if (!current) {
        // Removed while its refresh was in flight. The server consumed the token all the same, which a
        // restored backup holding this library must be able to tell.
        this.#markSpent(sent, pair.refreshToken)
        this.#store.writeSoon()
        throw new InputError('id', `There is no library with id "${key}" (it was removed while its token was being refreshed)`)
      }
      // A person's decision that the token is revoked is not overturned by a refresh that raced it.
      const tokenState = current.meta.tokenState === 'revoked' ? 'revoked' : 'active'
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
        this.#store.settingsChanged()
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

  // ── internals ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * Replaces one library record, in order with every other change: `next` builds the new record from the current
   * one (and may refuse); `alsoApply` runs with the replacement. Resolves once it is durable.
   */
  async #update(key: string, next: (current: StoredLibrary) => Promise<StoredLibrary>, alsoApply?: () => void): Promise<void> {
    await this.#store.change(async () => {
      const library = await next(this.#require(key))
      return () => {
        alsoApply?.()
        this.#put(library)
      }
    })
  }

  /** The record with a newly issued pair sealed in: its dates and scopes, no error, the new access token's preview. */
  async #withPair(current: StoredLibrary, pair: IssuedPair, changes: PairChanges): Promise<StoredLibrary> {
    const key = current.meta.id
    const accessToken = await sealSecret(this.#options.cipher, key, 'accessToken', pair.accessToken)
    const refreshToken = await sealSecret(this.#options.cipher, key, 'refreshToken', pair.refreshToken)
    const meta: LibraryMeta = { ...current.meta, issuedAt: pair.issuedAt, expiresAt: pair.expiresAt, scopes: pair.scopes, lastError: null, ...changes }
    return { meta: withPreview(meta, pair.accessToken), secrets: Object.freeze({ ...current.secrets, accessToken, refreshToken }) }
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
}

function consumedToken(options: { readonly consumedRefreshToken?: string }): string | null {
  return options.consumedRefreshToken === undefined ? null : opaque('options.consumedRefreshToken', options.consumedRefreshToken)
}
