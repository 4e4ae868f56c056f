// The open vault's API for keys of other systems (SafetyCulture, Airtable, admin-managed service tokens): the part of
// FileVault (vault-repository.ts) that holds them, in the style of the library methods. Each change is checked against
// the records as they are (re-read if the file changed behind the vault's back) and made durable by the same group
// commit as a library's; a token is sealed and bound to its record (key-sealing.ts), handed out only once durable,
// and never for a record whose bound fields were changed outside Larder.
import { InputError } from '../errors.ts'
import { managedCopies, scrubCopy } from './copies.ts'
import { withHistory, type KeyMeta, type KeySecrets } from '../keys/key-model.ts'
import { LibrarySecretsError } from './errors.ts'
import type { StoredKey } from './file-format.ts'
import { checkKeyMeta, checkKeyPatch, checkKeySecrets, checkKeyToken, patchedKey, withKeyPreview, type KeyPatch } from './key-checks.ts'
import { keyBoundFieldsDiffer, openKeyToken, resealedKey, sealKeySecrets } from './key-sealing.ts'
import { libraryId } from './library-checks.ts'
import type { SpentLedger } from './spent-ledger.ts'
import type { DurableStore } from './store-engine.ts'
import type { CheckedOptions } from './vault-load.ts'
import type { VaultRecords } from './vault-records.ts'

/** A record found refused while the vault runs: the app re-plans and re-renders it, as for a file changed outside. */
export function announceChanged(options: CheckedOptions, id: string): void {
  try {
    options.onExternalChange?.({ added: [], removed: [], changed: [id], keptFromMemory: [], movedAside: null })
  } catch {
    // A listener's failure does not change what was found.
  }
}

export class KeyVault {
  readonly #options: CheckedOptions
  readonly #ledger: SpentLedger
  readonly #records: VaultRecords
  readonly #store: DurableStore

  constructor(options: CheckedOptions, ledger: SpentLedger, records: VaultRecords, store: DurableStore) {
    this.#options = options
    this.#ledger = ledger
    this.#records = records
    this.#store = store
  }

  // ── reading ────────────────────────────────────────────────────────────────────────────────────────

  keys(): readonly KeyMeta[] {
    return this.#records.keys.list()
  }

  key(id: string): KeyMeta | undefined {
    return this.#records.keys.meta(id) ?? this.#records.keys.meta(libraryId('id', id))
  }

  /** Why the key's token is refused (its record was changed outside Larder), or undefined when it is not. */
  keyRefusal(id: string): LibrarySecretsError | undefined {
    return this.#records.keys.quarantined(id)?.error
  }

  /** The key's token, once its latest change is durable; refused for a record changed outside Larder. */
  async keySecret(id: string): Promise<KeySecrets> {
    this.#store.assertOpen()
    const key = libraryId('id', id)
    const stored = await this.#store.read(() => this.#requireTrustedKey(key))
    await this.#store.durable(key)
    return { token: await this.#openedKey(stored, () => openKeyToken(this.#options.cipher, stored)) }
  }

  // ── changing ───────────────────────────────────────────────────────────────────────────────────────

  async addKey(meta: KeyMeta, secrets: KeySecrets): Promise<void> {
    this.#store.assertOpen()
    const { token } = checkKeySecrets('secrets', secrets)
    const checked = withKeyPreview(checkKeyMeta('meta', meta), token)
    await this.#store.change(async () => {
      if (this.#records.has(checked.id)) throw new InputError('meta.id', `A library or key with id "${checked.id}" is already in the vault`)
      this.#refuseReplaced('secrets.token', token, checked.name)
      const sealed = await sealKeySecrets(this.#options.cipher, checked, { token })
      return () => this.#putKey({ meta: checked, secrets: sealed })
    })
  }

  /** Changes a key's record; a change to a field its token is bound to seals the token again for it. */
  async patchKey(id: string, patch: KeyPatch): Promise<void> {
    this.#store.assertOpen()
    const key = libraryId('id', id)
    const changes = checkKeyPatch('patch', patch)
    await this.#updateKey(key, async (current) => {
      const meta = patchedKey(current.meta, changes)
      // Bound fields: the token is opened for the record as it was (proving it is Larder's) and sealed for the new one.
      if (!keyBoundFieldsDiffer(current.meta, meta)) return { meta, secrets: current.secrets }
      return this.#openedKey(current, () => resealedKey(this.#options.cipher, current, meta))
    })
  }

  /**
   * A regenerated token in place of the old one, keeping the key's name, notes and history (a 'regenerated' item is
   * added). The old token is recorded as spent in the same write, as a rotated refresh token is, so pasting it again
   * is refused.
   */
  async replaceKeyToken(id: string, token: string): Promise<void> {
    this.#store.assertOpen()
    const key = libraryId('id', id)
    const checked = checkKeyToken('token', token)
    let old: string | null = null
    await this.#updateKey(
      key,
      async (current) => {
        old = await this.#openedKey(current, () => openKeyToken(this.#options.cipher, current))
        if (old === checked) throw new InputError('token', `This is the token ${current.meta.name} already holds; paste the newly generated one`)
        this.#refuseReplaced('token', checked, current.meta.name)
        const history = withHistory(current.meta.history, { at: this.#options.now(), event: 'regenerated' })
        const meta = withKeyPreview(Object.freeze({ ...current.meta, history: Object.freeze(history) }) as KeyMeta, checked)
        return Object.freeze({ meta, secrets: await sealKeySecrets(this.#options.cipher, meta, { token: checked }) })
      },
      () => {
        if (old !== null) this.#ledger.add(old)
      }
    )
  }

  /**
   * Removes a key. Its token then leaves every file Larder keeps, as a library's secrets do: the write is a whole file
   * (the journal emptied), and each copy beside it is rewritten without the record (copies.ts).
   */
  async removeKey(id: string): Promise<void> {
    this.#store.assertOpen()
    const key = libraryId('id', id)
    await this.#store.change(async () => {
      if (!this.#records.keys.has(key)) throw new InputError('id', `There is no key with id "${key}" in the vault`)
      return () => {
        this.#records.keys.delete(key)
        this.#store.changed(key)
        this.#store.wholeFile('whole')
      }
    })
    await this.#store.read(async () => {
      for (const copy of managedCopies(this.#options.path)) await scrubCopy(copy.path, key, this.#options.cipher)
    })
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────────────

  async #updateKey(key: string, next: (current: StoredKey) => Promise<StoredKey>, alsoApply?: () => void): Promise<void> {
    await this.#store.change(async () => {
      const stored = await next(this.#requireTrustedKey(key))
      return () => {
        alsoApply?.()
        this.#putKey(stored)
      }
    })
  }

  #putKey(key: StoredKey): void {
    this.#records.keys.put(key)
    this.#store.changed(key.meta.id)
  }

  #requireTrustedKey(id: string): StoredKey {
    const key = this.#records.keys.get(id)
    if (!key) throw new InputError('id', `There is no key with id "${id}" in the vault`)
    const found = this.#records.keys.quarantined(id)
    if (found) throw found.error
    return key
  }

  #refuseReplaced(field: string, token: string, name: string): void {
    if (this.#ledger.has(token)) throw new InputError(field, `This token for ${name} was replaced by a newer one and no longer works; paste the current token`)
  }

  /** Runs `open` on the key's token; when it does not open for the record, the key is refused from then on. */
  async #openedKey<T>(key: StoredKey, open: () => Promise<T>): Promise<T> {
    try {
      return await open()
    } catch (error) {
      const id = key.meta.id
      if (error instanceof LibrarySecretsError && this.#records.keys.get(id) === key && !this.#records.keys.quarantined(id)) {
        this.#records.keys.quarantine(id, error)
        announceChanged(this.#options, id)
      }
      throw error
    }
  }
}
