// The open vault's API for managing the estate (issue 17): holding a library's refreshes back (moved to another
// machine, or paused after a restore), putting back a record from an encrypted backup, and sealing a value of Larder's
// own (the scheduled backups' passphrase) with the vault's key. The part of FileVault (vault-repository.ts) that
// extends the keys' (vault-keys.ts); each change goes through the same group commit as every other.
import { InputError } from '../errors.ts'
import type { LibraryHold, LibraryMeta, LibrarySecrets } from '../model.ts'
import { DecryptError } from './cipher.ts'
import { opaque } from './checks.ts'
import type { StoredLibrary } from './file-format.ts'
import { checkHold, checkMeta, checkSecrets, libraryId, withPreview } from './library-checks.ts'
import { sealSecrets } from './sealing.ts'
import type { SpentLedger } from './spent-ledger.ts'
import type { DurableStore } from './store-engine.ts'
import type { CheckedOptions } from './vault-load.ts'
import { KeyVault } from './vault-keys.ts'
import type { VaultRecords } from './vault-records.ts'

/** What a sealed value of Larder's own holds before the value: a context and its purpose, checked on every open. */
const VALUE_CONTEXT = 'larder-own-value-v1'
const SEP = '\u001f'
const PURPOSE = /^[a-z][a-z0-9-]{0,63}$/

export class EstateVault extends KeyVault {
  readonly #options: CheckedOptions
  readonly #ledger: SpentLedger
  readonly #records: VaultRecords
  readonly #store: DurableStore

  constructor(options: CheckedOptions, ledger: SpentLedger, records: VaultRecords, store: DurableStore) {
    super(options, ledger, records, store)
    this.#options = options
    this.#ledger = ledger
    this.#records = records
    this.#store = store
  }

  /**
   * Holds the library's refreshes back (`hold`: moved or paused; its tokenState becomes the hold's kind), or lets them
   * go on (`null`: the state it had before the hold comes back). Its secrets are not touched (state is not bound).
   */
  async setHold(id: string, hold: LibraryHold | null): Promise<void> {
    this.#store.assertOpen()
    const key = libraryId('id', id)
    const checked = hold === null ? null : checkHold('hold', hold)
    await this.#store.change(async () => {
      const current = this.#records.library(key)
      if (!current) throw new InputError('id', `There is no library with id "${key}" in the vault`)
      const found = this.#records.quarantined(key)
      if (found) throw found.error
      const { hold: before, ...rest } = current.meta
      const meta: LibraryMeta =
        checked === null ? { ...rest, tokenState: before?.was ?? (current.meta.tokenState === 'moved' || current.meta.tokenState === 'paused' ? 'active' : current.meta.tokenState) } : { ...rest, tokenState: checked.kind, hold: checked }
      return () => this.#put({ meta: Object.freeze(meta), secrets: current.secrets })
    })
  }

  /**
   * Puts back a record from a backup (core/estate/backup): added under its id, or in place of the record of that id
   * (`replace`). A refresh token the server has already consumed is stored only in a record that will never send it
   * (needs re-authorization, revoked or moved): a restore must never make a dead token live again.
   */
  async restoreLibrary(meta: LibraryMeta, secrets: LibrarySecrets, options: { readonly replace: boolean }): Promise<void> {
    this.#store.assertOpen()
    const checkedSecrets = checkSecrets('secrets', secrets)
    const checkedMeta = withPreview(checkMeta('meta', meta), checkedSecrets.accessToken)
    await this.#store.change(async () => {
      const id = checkedMeta.id
      if (options.replace && !this.#records.hasLibrary(id)) throw new InputError('meta.id', `There is no library with id "${id}" to replace`)
      if (!options.replace && this.#records.has(id)) throw new InputError('meta.id', `A library with id "${id}" is already in the vault`)
      const sends = checkedMeta.tokenState === 'active' || checkedMeta.tokenState === 'paused'
      if (sends && this.#ledger.has(checkedSecrets.refreshToken)) {
        throw new InputError('secrets.refreshToken', `The refresh token of ${checkedMeta.name} was already used; it is restored only as needing re-authorization`)
      }
      const sealed = await sealSecrets(this.#options.cipher, checkedMeta, checkedSecrets)
      return () => this.#put({ meta: checkedMeta, secrets: sealed })
    })
  }

  /** Seals a value of Larder's own with the vault's key, for `purpose` only (a short lower-case name). */
  async sealValue(purpose: string, value: string): Promise<string> {
    this.#store.assertOpen()
    // Any text (a passphrase has spaces); its length is capped, nothing else.
    if (typeof value !== 'string' || value === '' || value.length > 4096) throw new InputError('value', 'value must be text of 1 to 4096 characters')
    return this.#options.cipher.encrypt(VALUE_CONTEXT + SEP + checkPurpose(purpose) + SEP + value)
  }

  /** Opens a value sealed by sealValue for the same purpose; an InputError when it does not open or is another's. */
  async openValue(purpose: string, sealed: string): Promise<string> {
    this.#store.assertOpen()
    const head = VALUE_CONTEXT + SEP + checkPurpose(purpose) + SEP
    let plain: string
    try {
      plain = await this.#options.cipher.decrypt(opaque('sealed', sealed, 16_384))
    } catch (error) {
      if (error instanceof DecryptError || error instanceof InputError) throw new InputError('sealed', `The sealed ${purpose} does not open with this vault's key`)
      throw error
    }
    if (!plain.startsWith(head)) throw new InputError('sealed', `The sealed value is not this vault's ${purpose}`)
    return plain.slice(head.length)
  }

  #put(library: StoredLibrary): void {
    this.#records.putLibrary(library)
    this.#store.changed(library.meta.id)
  }
}

/** The record without its hold unless its state stays held (a refresh that raced a move keeps it moved). */
export function heldOnlyIf(meta: LibraryMeta, state: LibraryMeta['tokenState']): LibraryMeta {
  if (meta.hold === undefined || state === meta.hold.kind) return meta
  const { hold: _dropped, ...rest } = meta
  return rest
}

function checkPurpose(purpose: string): string {
  if (typeof purpose !== 'string' || !PURPOSE.test(purpose)) throw new InputError('purpose', 'purpose must be a short lower-case name')
  return purpose
}
