// The open vault: records in memory, secrets sealed until asked for, every change durable before it resolves,
// changes close together made durable by one group commit, and a file changed behind its back re-read first.
// A batch appends just the records it changed to the journal (journal.ts); the whole file is rewritten through
// the store only to compact, when the journal has grown, the vault is idle or closing, or something other than
// records changed (settings, a file taken from disk).
import path from 'node:path'
import { InputError } from '../errors.ts'
import { isConnection, type IssuedPair, type LibraryMeta, type LibrarySecrets, type PersonalEntryMeta } from '../model.ts'
import { moveAside } from './backups.ts'
import { onlyKeys, opaque, record } from './checks.ts'
import { ensurePrivate, fileStamp, fsyncDirectory, sameStamp, type FileStamp } from './durable-fs.ts'
import { checkEntry, checkEntryPatch, type EntryPatch } from './entry-checks.ts'
import { EntryTable } from './entry-table.ts'
import { VaultClosedError, VaultWriteError } from './errors.ts'
import { encodeFile, FileProblem, type DecodedFile, type StoredCipherHeader, type StoredLibrary } from './file-format.ts'
import { GroupCommit } from './group-commit.ts'
import { applyJournal, encodeJournalLine, journalPath, JournalWriter, newJournalId, readJournal, spentInJournal, type JournalChange, type JournalOp } from './journal.ts'
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
import { SCHEMA_VERSION } from './migrations.ts'
import { openSecret, openSecrets, sealSecret, sealSecrets } from './sealing.ts'
import { SerialQueue } from './serial-queue.ts'
import { applySettingsPatch, type VaultSettings, type VaultSettingsPatch } from './settings.ts'
import type { SpentLedger } from './spent-ledger.ts'
import { decodeAndVerify, isFileRefusal, openCheckedStore, readRaw, type CheckedOptions } from './vault-load.ts'
import type { JsonFileStore, Rotation, Vault, VaultStats } from './vault-types.ts'

const RETRY_MIN_MS = 1_000
const RETRY_MAX_MS = 30_000
/** Once the journal is larger than the file, the next quiet moment of this length compacts it. */
const COMPACT_WHEN_IDLE_MS = 1_000
/** A journal this much larger than the file is compacted at the next batch, quiet or not (bounds replay at open). */
const COMPACT_ANYWAY_RATIO = 8
const COMPACT_ANYWAY_SLACK_BYTES = 4 * 1024 * 1024

type MutableMeta = { -readonly [K in keyof LibraryMeta]: LibraryMeta[K] }

export class FileVault implements Vault {
  readonly path: string
  readonly #options: CheckedOptions
  /** Made on the first write: the store's constructor parses the whole file, and the vault only writes through it. */
  #store: JsonFileStore | null = null
  readonly #ledger: SpentLedger
  readonly #serial = new SerialQueue()
  readonly #commit: GroupCommit
  #cipherHeader: StoredCipherHeader
  #libraries: Map<string, StoredLibrary>
  /** Libraries reached through a personal token: metadata only, they use their connection's secrets. */
  readonly #entries: EntryTable
  #settings: VaultSettings
  #list: readonly LibraryMeta[] | null = null
  /** Memory differs from what is durable. Stays set after a failed write, so the next batch writes it. */
  #dirty = false
  /** Libraries changed (or removed) since the last durable write: their secrets are not handed out before it. */
  readonly #unwritten = new Set<string>()
  /** Taken by the batch being appended, not yet durable. */
  readonly #writing = new Set<string>()
  #settingsUnwritten = false
  /** The next batch rewrites the whole file (and starts a new journal generation) instead of appending. */
  #fullWrite = false
  readonly #journal: JournalWriter
  /** The generation the file on disk names; lines appended now carry it. */
  #journalId: string | null
  #compactTimer: ReturnType<typeof setTimeout> | null = null
  #checkedThisTurn = false
  #stamp: FileStamp | null = null
  #writes = 0
  #fullWrites = 0
  #failedWrites = 0
  #retryTimer: ReturnType<typeof setTimeout> | null = null
  #retryDelayMs = RETRY_MIN_MS
  #closed = false

  constructor(options: CheckedOptions, ledger: SpentLedger, content: DecodedFile['content']) {
    this.path = options.path
    this.#options = options
    this.#ledger = ledger
    this.#cipherHeader = content.cipher
    this.#libraries = new Map(content.libraries)
    this.#entries = new EntryTable(content.entries)
    this.#settings = content.settings
    this.#journalId = content.journalId
    this.#journal = new JournalWriter(journalPath(options.path))
    this.#commit = new GroupCommit({
      windowMs: options.commitWindowMs,
      prepare: () => this.#reloadBeforeWrite(),
      write: () => this.#writeBatch(),
      failure: (cause) => new VaultWriteError(this.path, cause)
    })
  }

  // ── reading ────────────────────────────────────────────────────────────────────────────────────────

  list(): readonly LibraryMeta[] {
    this.#list ??= Object.freeze([...this.#libraries.values()].map((library) => library.meta))
    return this.#list
  }

  get(id: string): LibraryMeta | undefined {
    return this.#libraries.get(libraryId('id', id))?.meta
  }

  entries(): readonly PersonalEntryMeta[] {
    // An entry lives only as long as its connection; one left without it (a hand edit) is not listed.
    return this.#entries.list().filter((entry) => this.#libraries.has(entry.connectionId))
  }

  entry(id: string): PersonalEntryMeta | undefined {
    const entry = this.#entries.get(libraryId('id', id))
    return entry && this.#libraries.has(entry.connectionId) ? entry : undefined
  }

  isSpent(refreshToken: string): boolean {
    return this.#ledger.has(opaque('refreshToken', refreshToken))
  }

  settings(): VaultSettings {
    return this.#settings
  }

  async secrets<F extends SecretField = SecretField>(id: string, fields?: readonly F[]): Promise<Pick<LibrarySecrets, F>> {
    this.#assertOpen()
    const key = libraryId('id', id)
    const wanted = fields === undefined ? undefined : secretFields('fields', fields)
    const library = await this.#serial.run(async () => {
      await this.#checkForChanges()
      return this.#require(key)
    })
    // A change not yet on disk is not handed out: a rotated token must be durable first.
    if (this.#notDurable(key)) await this.#commit.joinNow()
    return openSecrets(this.#options.cipher, library, wanted)
  }

  stats(): VaultStats {
    const { fsyncs, maxWaitMs } = this.#commit.stats()
    return { writes: this.#writes, fullWrites: this.#fullWrites, journalBytes: this.#journal.bytes, failedWrites: this.#failedWrites, fsyncs, maxWaitMs }
  }

  // ── changing ───────────────────────────────────────────────────────────────────────────────────────

  async add(meta: LibraryMeta, secrets: LibrarySecrets, options: { readonly consumedRefreshToken?: string } = {}): Promise<void> {
    this.#assertOpen()
    const checkedSecrets = checkSecrets('secrets', secrets)
    const checkedMeta = withPreview(checkMeta('meta', meta), checkedSecrets.accessToken)
    const consumed = options.consumedRefreshToken === undefined ? null : opaque('options.consumedRefreshToken', options.consumedRefreshToken)
    await this.#change(async () => {
      if (this.#libraries.has(checkedMeta.id) || this.#entries.has(checkedMeta.id)) {
        throw new InputError('meta.id', `A library with id "${checkedMeta.id}" is already in the vault`)
      }
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
    this.#assertOpen()
    const key = libraryId('id', id)
    await this.#change(async () => {
      if (this.#entries.has(key) && !this.#libraries.has(key)) {
        return () => {
          this.#entries.delete(key)
          this.#unwritten.add(key)
          this.#dirty = true
        }
      }
      this.#require(key)
      return () => {
        this.#libraries.delete(key)
        this.#unwritten.add(key)
        for (const entryId of this.#entries.ofConnection(key)) {
          this.#entries.delete(entryId)
          this.#unwritten.add(entryId)
        }
        this.#dirty = true
        this.#list = null
      }
    })
  }

  /** Adds libraries reached through a personal token, all in one write. Each names a record holding a personal token. */
  async addEntries(entries: readonly PersonalEntryMeta[]): Promise<void> {
    this.#assertOpen()
    if (!Array.isArray(entries)) throw new InputError('entries', 'entries must be a list')
    const checked = entries.map((entry, index) => checkEntry(`entries[${index}]`, entry))
    await this.#change(async () => {
      const seen = new Set<string>()
      checked.forEach((entry, index) => {
        const field = `entries[${index}]`
        if (this.#libraries.has(entry.id) || this.#entries.has(entry.id) || seen.has(entry.id)) {
          throw new InputError(`${field}.id`, `A library with id "${entry.id}" is already in the vault`)
        }
        seen.add(entry.id)
        const connection = this.#libraries.get(entry.connectionId)
        if (!connection) throw new InputError(`${field}.connectionId`, `There is no library with id "${entry.connectionId}" in the vault`)
        if (!isConnection(connection.meta)) {
          throw new InputError(`${field}.connectionId`, `${connection.meta.name} does not hold a personal token, so no other library can share it`)
        }
      })
      return () => {
        for (const entry of checked) {
          this.#entries.set(entry)
          this.#unwritten.add(entry.id)
        }
        if (checked.length > 0) this.#dirty = true
      }
    })
  }

  async patchEntry(id: string, patch: EntryPatch): Promise<void> {
    this.#assertOpen()
    const key = libraryId('id', id)
    const changes = checkEntryPatch('patch', patch)
    await this.#change(async () => {
      const current = this.#entries.get(key)
      if (!current) throw new InputError('id', `There is no library with id "${key}" in the vault`)
      return () => {
        this.#entries.set(Object.freeze({ ...current, ...changes }))
        this.#unwritten.add(key)
        this.#dirty = true
      }
    })
  }

  async patch(id: string, patch: LibraryPatch): Promise<void> {
    this.#assertOpen()
    const key = libraryId('id', id)
    const changes = checkPatch('patch', patch)
    await this.#change(async () => {
      const current = this.#require(key)
      return () => this.#put({ meta: Object.freeze({ ...current.meta, ...changes }), secrets: current.secrets })
    })
  }

  async replaceCredentials(id: string, credentials: ClientCredentials): Promise<void> {
    this.#assertOpen()
    const key = libraryId('id', id)
    const checked = checkCredentials('credentials', credentials)
    await this.#change(async () => {
      const current = this.#require(key)
      const clientSecret = await sealSecret(this.#options.cipher, key, 'clientSecret', checked.clientSecret)
      return () =>
        this.#put({
          meta: Object.freeze({ ...current.meta, clientId: checked.clientId, lastError: null }),
          secrets: Object.freeze({ ...current.secrets, clientSecret })
        })
    })
  }

  async reauthorize(id: string, pair: IssuedPair, options: { readonly consumedRefreshToken?: string } = {}): Promise<void> {
    this.#assertOpen()
    const key = libraryId('id', id)
    const checked = checkPair('pair', pair)
    const consumed = options.consumedRefreshToken === undefined ? null : opaque('options.consumedRefreshToken', options.consumedRefreshToken)
    await this.#change(async () => {
      const current = this.#require(key)
      this.#refuseSpent('pair.refreshToken', checked.refreshToken, current.meta.name)
      const accessToken = await sealSecret(this.#options.cipher, key, 'accessToken', checked.accessToken)
      const refreshToken = await sealSecret(this.#options.cipher, key, 'refreshToken', checked.refreshToken)
      const meta: MutableMeta = { ...current.meta, issuedAt: checked.issuedAt, expiresAt: checked.expiresAt, scopes: checked.scopes }
      meta.lastError = null
      meta.tokenState = 'active'
      return () => {
        if (consumed !== null) this.#markSpent(consumed, checked.refreshToken)
        this.#put({ meta: withPreview(meta, checked.accessToken), secrets: Object.freeze({ ...current.secrets, accessToken, refreshToken }) })
      }
    })
  }

  async commitRotation(id: string, rotation: Rotation): Promise<void> {
    this.#assertOpen()
    const key = libraryId('id', id)
    const raw = record('rotation', rotation)
    onlyKeys('rotation', raw, ['sentRefreshToken', 'pair'])
    const sent = opaque('rotation.sentRefreshToken', raw['sentRefreshToken'])
    const pair = checkPair('rotation.pair', raw['pair'])
    await this.#change(async () => {
      const current = this.#libraries.get(key)
      if (!current) {
        // Removed while its refresh was in flight. The server consumed the token all the same, which a
        // restored backup holding this library must be able to tell.
        this.#markSpent(sent, pair.refreshToken)
        void this.#commit.join().catch(() => undefined)
        throw new InputError('id', `There is no library with id "${key}" (it was removed while its token was being refreshed)`)
      }
      const accessToken = await sealSecret(this.#options.cipher, key, 'accessToken', pair.accessToken)
      const refreshToken = await sealSecret(this.#options.cipher, key, 'refreshToken', pair.refreshToken)
      const meta: MutableMeta = {
        ...current.meta,
        issuedAt: pair.issuedAt,
        expiresAt: pair.expiresAt,
        lastRefreshedAt: this.#options.now(),
        scopes: pair.scopes,
        lastError: null,
        // A person's decision that the token is revoked is not overturned by a refresh that raced it.
        tokenState: current.meta.tokenState === 'revoked' ? 'revoked' : 'active'
      }
      return () => {
        this.#markSpent(sent, pair.refreshToken)
        this.#put({ meta: withPreview(meta, pair.accessToken), secrets: Object.freeze({ ...current.secrets, accessToken, refreshToken }) })
      }
    })
  }

  async updateSettings(patch: VaultSettingsPatch): Promise<VaultSettings> {
    this.#assertOpen()
    applySettingsPatch(this.#settings, patch)
    await this.#change(async () => {
      const next = applySettingsPatch(this.#settings, patch)
      return () => {
        this.#settings = next
        this.#settingsUnwritten = true
        this.#fullWrite = true
        this.#dirty = true
      }
    })
    return this.#settings
  }

  async reloadIfChanged(): Promise<boolean> {
    this.#assertOpen()
    return this.#serial.run(() => this.#reloadInside())
  }

  async flush(): Promise<void> {
    this.#assertOpen()
    await this.#serial.idle()
    if (this.#dirty || this.#ledger.hasPending || this.#commit.pending) await this.#commit.joinNow()
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer)
    this.#retryTimer = null
    this.#cancelCompaction()
    await this.#serial.idle()
    // Leave one file behind, so the next open need not replay anything.
    if (this.#journal.bytes > 0) {
      this.#fullWrite = true
      this.#dirty = true
    }
    try {
      if (this.#dirty || this.#ledger.hasPending || this.#commit.pending) await this.#commit.joinNow()
    } finally {
      this.#journal.close()
      this.#ledger.close()
    }
  }

  // ── used by openVault ──────────────────────────────────────────────────────────────────────────────

  /** Writes the whole content at once, outside any batch (new vault, migrated file, journal replayed). */
  writeNow(): void {
    this.#dirty = true
    this.#writeEverything()
  }

  /** The file on disk is exactly what memory holds: remember its stamp. */
  adoptFile(): void {
    ensurePrivate(this.path)
    this.#stamp = fileStamp(this.path)
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * Runs `prepare` in order with every other change; it validates against the current state and may await
   * (encryption), then returns the synchronous step that applies the change. Resolves once it is durable.
   */
  async #change(prepare: () => Promise<() => void>): Promise<void> {
    await this.#serial.run(async () => {
      await this.#checkForChanges()
      const apply = await prepare()
      apply()
    })
    await this.#commit.join()
  }

  #notDurable(id: string): boolean {
    return this.#unwritten.has(id) || this.#writing.has(id)
  }

  #put(library: StoredLibrary): void {
    this.#libraries.set(library.meta.id, library)
    this.#unwritten.add(library.meta.id)
    this.#dirty = true
    this.#list = null
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
    const library = this.#libraries.get(id)
    if (!library) throw new InputError('id', `There is no library with id "${id}" in the vault`)
    return library
  }

  #assertOpen(): void {
    if (this.#closed) throw new VaultClosedError()
  }

  /** A batch: spent fingerprints first, then the changed records appended to the journal (or the whole file). */
  async #writeBatch(): Promise<number> {
    try {
      let fsyncs: number
      if (this.#mustWriteEverything()) {
        fsyncs = this.#writeEverything()
      } else {
        try {
          fsyncs = await this.#appendChanges()
        } catch {
          // The journal would not take it (and may now end in a torn line): write everything, which starts a new one.
          fsyncs = this.#writeEverything()
        }
      }
      this.#retryDelayMs = RETRY_MIN_MS
      return fsyncs
    } catch (error) {
      this.#failedWrites++
      this.#scheduleRetry()
      throw error
    }
  }

  #mustWriteEverything(): boolean {
    if (!this.#dirty) return false
    if (this.#fullWrite || this.#journalId === null || this.#journal.change() !== 'none') return true
    return this.#journal.bytes > COMPACT_ANYWAY_RATIO * this.#fileBytes() + COMPACT_ANYWAY_SLACK_BYTES
  }

  /**
   * What is in memory of every changed record goes out now; a change made while the disk works is the next
   * batch's. The ledger and the journal are written at once: the journal's lines carry the batch's spent-token
   * fingerprints ahead of its records, so neither write has to wait for the other.
   */
  async #appendChanges(): Promise<number> {
    const journalId = this.#journalId
    if (journalId === null) throw new Error('the vault has no journal generation to append to')
    const ids = [...this.#unwritten]
    const spent = this.#ledger.pending
    const ops: JournalOp[] = ids.length > 0 && spent.length > 0 ? [{ spent: [...spent] }] : []
    for (const id of ids) ops.push(this.#journalOp(id))
    const lines = ops.map((op) => encodeJournalLine(journalId, op)).join('')
    this.#unwritten.clear()
    this.#dirty = false
    for (const id of ids) this.#writing.add(id)
    try {
      // Both take what they write synchronously, before anything is awaited.
      const [ledger, journal] = await Promise.allSettled([this.#ledger.appendPendingAsync(), lines === '' ? Promise.resolve(0) : this.#journal.append(lines)])
      if (ledger.status === 'rejected') throw ledger.reason
      if (journal.status === 'rejected') throw journal.reason
      // A file of another generation was taken from disk while this was written: these lines would not be
      // replayed with it. The fallback writes everything, under a new generation, before anyone is answered.
      if (this.#journalId !== journalId) throw new Error('the vault file changed generation while its journal was written')
      if (lines !== '') this.#writes++
      this.#planCompaction()
      return ledger.value + journal.value
    } catch (error) {
      for (const id of ids) this.#unwritten.add(id)
      this.#dirty = true
      throw error
    } finally {
      for (const id of ids) this.#writing.delete(id)
    }
  }

  #journalOp(id: string): JournalOp {
    const library = this.#libraries.get(id)
    if (library) return { library }
    const entry = this.#entries.get(id)
    return entry ? { entry } : { drop: id }
  }

  #writeEverything(): number {
    let fsyncs = this.#ledger.appendPending()
    if (!this.#dirty) return fsyncs
    this.#store ??= openCheckedStore(this.#options)
    const journalId = newJournalId()
    this.#store.store = encodeFile({ cipher: this.#cipherHeader, libraries: this.#libraries, entries: this.#entries.all, settings: this.#settings, journalId })
    try {
      // The store's atomic write fsyncs the file; the rename is durable once the directory is.
      fsyncDirectory(path.dirname(this.path))
    } catch (error) {
      // The new generation may not survive a power cut: nothing is appended to it; the next batch writes it all again.
      this.#fullWrite = true
      throw error
    }
    fsyncs += 2
    this.#writes++
    this.#fullWrites++
    this.#journalId = journalId
    this.#dirty = false
    this.#fullWrite = false
    this.#unwritten.clear()
    this.#settingsUnwritten = false
    this.#cancelCompaction()
    // A store created without configFileMode (or a file copied in by hand) must still end up private.
    ensurePrivate(this.path)
    this.#stamp = fileStamp(this.path)
    // The file now holds every line of the old generation; a line that survives this is skipped at open.
    this.#journal.empty()
    return fsyncs
  }

  #fileBytes(): number {
    return this.#stamp?.size ?? 0
  }

  /** A journal larger than the file is compacted once the vault has been quiet for a moment. */
  #planCompaction(): void {
    if (this.#journal.bytes <= this.#fileBytes() || this.#closed) return
    this.#cancelCompaction()
    this.#compactTimer = setTimeout(() => {
      this.#compactTimer = null
      if (this.#closed || this.#commit.pending) return
      this.#fullWrite = true
      this.#dirty = true
      this.#commit.join().catch(() => undefined)
    }, COMPACT_WHEN_IDLE_MS)
    this.#compactTimer.unref?.()
  }

  #cancelCompaction(): void {
    if (this.#compactTimer !== null) clearTimeout(this.#compactTimer)
    this.#compactTimer = null
  }

  /** Nobody may be left with a rotation only in memory: try again on our own if no change comes along. */
  #scheduleRetry(): void {
    if (this.#retryTimer !== null || this.#closed) return
    const delay = this.#retryDelayMs
    this.#retryDelayMs = Math.min(this.#retryDelayMs * 2, RETRY_MAX_MS)
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null
      if ((this.#dirty || this.#ledger.hasPending) && !this.#closed) this.#commit.join().catch(() => undefined)
    }, delay)
    this.#retryTimer.unref?.()
  }

  async #reloadBeforeWrite(): Promise<void> {
    // A journal someone else appended to is read before ours goes after it (or everything is rewritten).
    if (!sameStamp(fileStamp(this.path), this.#stamp) || this.#journal.change() === 'appended') await this.#serial.run(() => this.#reloadInside())
  }

  /**
   * The check before a change or a hand-out, made at most once per turn of the event loop: during a burst one
   * turn serves many refreshes, and a file changed by someone else is seen from the next turn on (as it would be
   * had it changed a moment after the check). Must run inside the serial queue.
   */
  async #checkForChanges(): Promise<void> {
    if (this.#checkedThisTurn) return
    await this.#reloadInside()
    this.#checkedThisTurn = true
    setImmediate(() => {
      this.#checkedThisTurn = false
    })
  }

  /** Must run inside the serial queue. */
  async #reloadInside(): Promise<boolean> {
    this.#ledger.reloadIfChanged()
    const stamp = fileStamp(this.path)
    const journal = this.#journal.change()
    if (sameStamp(stamp, this.#stamp)) {
      if (journal === 'none') return false
      if (journal === 'lost') {
        // Deleted or cut short behind our back: memory is the only copy of its lines, so write everything back.
        this.#fullWrite = true
        this.#dirty = true
        void this.#commit.join().catch(() => undefined)
        return false
      }
    }
    const before = new Map(this.#libraries)
    const entriesBefore = this.#entries.snapshot()
    if (stamp === null) {
      // Deleted behind our back: memory is the only copy left, so write it back.
      this.#rewriteFromMemory()
      this.#announce(before, [], null, entriesBefore)
      return true
    }
    let decoded: DecodedFile
    try {
      const raw = readRaw(this.path)
      if (raw === null) throw new FileProblem('unreadable', 'it disappeared while being read')
      decoded = await decodeAndVerify(this.path, raw, this.#options)
    } catch (error) {
      if (!isFileRefusal(error)) throw error
      // Something unreadable was put in place. Keep it for a person to look at; carry on from memory.
      const movedAside = moveAside(this.path, 'damaged', this.#options.now())
      this.#rewriteFromMemory()
      this.#announce(before, [], movedAside, entriesBefore)
      return true
    }
    const onDisk = this.#withJournal(decoded.content, journal)
    if (onDisk === null) {
      // A copy of our own file, and its journal no longer tells what was made durable since: memory holds all of
      // it, so nothing is taken from the copy. Everything is written again, under a new generation.
      this.#stamp = stamp
      this.#journal.adopt()
      this.#fullWrite = true
      this.#dirty = true
      void this.#commit.join().catch(() => undefined)
      return false
    }
    const notDurable = new Set([...this.#unwritten, ...this.#writing])
    const kept = await this.#merge(onDisk.libraries, notDurable)
    kept.push(...this.#entries.merge(onDisk.entries, notDurable))
    this.#cipherHeader = decoded.content.cipher
    if (!this.#settingsUnwritten) this.#settings = decoded.content.settings
    this.#stamp = stamp
    this.#journalId = decoded.content.journalId
    this.#journal.adopt()
    this.#unwritten.clear()
    for (const id of kept) this.#unwritten.add(id)
    if (this.#settingsUnwritten || decoded.fileVersion < SCHEMA_VERSION || journal === 'lost') this.#fullWrite = true
    this.#dirty = kept.length > 0 || this.#fullWrite
    if (this.#dirty) void this.#commit.join().catch(() => undefined)
    this.#announce(before, kept, null, entriesBefore)
    return true
  }

  /**
   * A file of the generation this vault appends to is continued by the journal's lines: the durable state is
   * both together. (A copy of the file put back in place must not undo what the journal holds.) Null when the
   * file is of our generation but the journal lost lines or no longer reads: then only memory knows.
   */
  #withJournal(
    content: DecodedFile['content'],
    journal: JournalChange
  ): { libraries: ReadonlyMap<string, StoredLibrary>; entries: ReadonlyMap<string, PersonalEntryMeta> } | null {
    const libraries = new Map(content.libraries)
    const entries = new Map(content.entries ?? [])
    if (content.journalId === null || content.journalId !== this.#journalId) return { libraries, entries }
    if (journal === 'lost') return null
    try {
      const ops = readJournal(this.#journal.path, content.journalId)
      applyJournal(libraries, entries, ops)
      for (const fingerprint of spentInJournal(ops)) this.#ledger.addFingerprint(fingerprint)
    } catch {
      return null
    }
    return { libraries, entries }
  }

  /**
   * The file on disk wins, except where it would lose something newer that memory holds: a change made here
   * and not yet durable (memory's state of that library, removal included, is the latest intent), or a live
   * refresh token where the file's copy holds a spent one or none. Returns the ids memory kept.
   */
  async #merge(disk: ReadonlyMap<string, StoredLibrary>, notDurable: ReadonlySet<string>): Promise<string[]> {
    const next = new Map<string, StoredLibrary>()
    const kept: string[] = []
    for (const [id, onDisk] of disk) {
      const inMemory = this.#libraries.get(id)
      if (notDurable.has(id)) {
        if (inMemory) next.set(id, inMemory)
        kept.push(id)
      } else if (inMemory && inMemory.secrets.refreshToken !== onDisk.secrets.refreshToken && (await this.#memoryIsNewer(inMemory, onDisk))) {
        next.set(id, inMemory)
        kept.push(id)
      } else {
        next.set(id, onDisk)
      }
    }
    for (const [id, inMemory] of this.#libraries) {
      if (disk.has(id)) continue
      if (notDurable.has(id) || (await this.#holdsLiveToken(inMemory))) {
        next.set(id, inMemory)
        kept.push(id)
      }
    }
    this.#libraries = next
    this.#list = null
    return kept
  }

  async #memoryIsNewer(inMemory: StoredLibrary, onDisk: StoredLibrary): Promise<boolean> {
    if (!(await this.#holdsLiveToken(inMemory))) return false
    return !(await this.#holdsLiveToken(onDisk))
  }

  async #holdsLiveToken(library: StoredLibrary): Promise<boolean> {
    try {
      return !this.#ledger.has(await openSecret(this.#options.cipher, library, 'refreshToken'))
    } catch {
      return false
    }
  }

  #rewriteFromMemory(): void {
    this.#stamp = null
    this.#dirty = true
    this.#fullWrite = true
    for (const id of this.#libraries.keys()) this.#unwritten.add(id)
    for (const id of this.#entries.ids()) this.#unwritten.add(id)
    void this.#commit.join().catch(() => undefined)
  }

  #announce(
    before: ReadonlyMap<string, StoredLibrary>,
    kept: readonly string[],
    movedAside: string | null,
    entriesBefore: ReadonlyMap<string, PersonalEntryMeta>
  ): void {
    const callback = this.#options.onExternalChange
    if (!callback) return
    const added: string[] = []
    const changed: string[] = []
    for (const [id, library] of this.#libraries) {
      const previous = before.get(id)
      if (!previous) added.push(id)
      else if (previous !== library) changed.push(id)
    }
    const removed = [...before.keys()].filter((id) => !this.#libraries.has(id))
    for (const [id, entry] of this.#entries.all) {
      const previous = entriesBefore.get(id)
      if (!previous) added.push(id)
      else if (previous !== entry) changed.push(id)
    }
    for (const id of entriesBefore.keys()) if (!this.#entries.has(id)) removed.push(id)
    try {
      callback({ added, removed, changed, keptFromMemory: kept, movedAside })
    } catch {
      // A listener's failure must not undo a reload that already happened.
    }
  }
}
