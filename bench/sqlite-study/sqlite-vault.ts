// A measuring prototype, not the app: Larder's library records kept in SQLite (node:sqlite) instead of the
// electron-store JSON file with its journal, spent ledger and group commit. What stays is reused, not copied:
// sealing (sealing.ts), the record checks (library-checks.ts), the spent-token fingerprint (spent-ledger.ts).
// WAL with synchronous=FULL (every commit fsyncs the WAL), changes within a short window share one transaction.
// Covers what bench/sqlite-study measures: add, commitRotation with spent marking, list/get, secrets, isSpent.
import fs from 'node:fs'
import { performance } from 'node:perf_hooks'
import { DatabaseSync, type SQLOutputValue, type StatementSync } from 'node:sqlite'
import { InputError } from '../../src/main/core/errors.ts'
import type { LibraryMeta, LibrarySecrets } from '../../src/main/core/model.ts'
import type { Cipher } from '../../src/main/core/vault/cipher.ts'
import { onlyKeys, opaque, record } from '../../src/main/core/vault/checks.ts'
import type { SealedSecrets } from '../../src/main/core/vault/file-format.ts'
import { checkMeta, checkPair, checkSecrets, libraryId, secretFields, withPreview, type SecretField } from '../../src/main/core/vault/library-checks.ts'
import { openSecrets, sealSecret, sealSecrets } from '../../src/main/core/vault/sealing.ts'
import { spentFingerprint } from '../../src/main/core/vault/spent-ledger.ts'
import { newCipherHeader } from '../../src/main/core/vault/vault-load.ts'
import type { Rotation, Vault } from '../../src/main/core/vault/vault-types.ts'

/**
 * FULL: each commit fsyncs the WAL, so an acknowledged change survives a power cut. NORMAL (with WAL): the WAL is
 * fsynced only at checkpoints; a crash of the app loses nothing, a power cut may roll back the last commits
 * (the database stays consistent). Larder's promise ("durable before it resolves") needs FULL.
 */
export type SyncMode = 'FULL' | 'NORMAL'

export interface SqliteVaultOptions {
  readonly path: string
  readonly cipher: Cipher
  readonly synchronous?: SyncMode
  /** Changes within this many milliseconds share one transaction (the file vault's default is 4). */
  readonly commitWindowMs?: number
  readonly now?: () => number
}

export interface SqliteVaultStats {
  /** Committed transactions: one WAL fsync each under FULL. */
  readonly transactions: number
  readonly failedTransactions: number
  /** Time spent inside BEGIN…COMMIT. node:sqlite is synchronous: the event loop waits all of it, fsync included. */
  readonly commitMs: number
  /** The longest single BEGIN…COMMIT: the longest the event loop was held at once. */
  readonly longestCommitMs: number
  /** Longest wait from joining a batch to its commit. */
  readonly maxWaitMs: number
}

/** The subset of the vault this prototype offers, with the vault's own signatures. */
export type PrototypeVault = Pick<Vault, 'path' | 'list' | 'get' | 'secrets' | 'isSpent' | 'add' | 'commitRotation' | 'close'>

const SCHEMA_VERSION = 1
const SCHEMA = `
  CREATE TABLE header (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE libraries (id TEXT PRIMARY KEY, meta TEXT NOT NULL, client_secret TEXT NOT NULL, access_token TEXT NOT NULL, refresh_token TEXT NOT NULL);
  CREATE TABLE spent (fingerprint TEXT PRIMARY KEY) WITHOUT ROWID;
  PRAGMA user_version = ${SCHEMA_VERSION};
`

type Row = Record<string, SQLOutputValue>
type WriteOp =
  | { readonly kind: 'insert'; readonly meta: LibraryMeta; readonly secrets: SealedSecrets }
  | { readonly kind: 'rotate'; readonly meta: LibraryMeta; readonly accessToken: string; readonly refreshToken: string }

interface Waiter {
  readonly joinedAt: number
  resolve(): void
  reject(error: unknown): void
}

function column(row: Row | undefined, name: string): string {
  const value = row?.[name]
  if (typeof value !== 'string') throw new Error(`the vault database has no text in column ${name}`)
  return value
}

export async function openSqliteVault(options: SqliteVaultOptions): Promise<SqliteVault> {
  // SQLite creates -wal and -shm with the database's mode: a private database keeps them private too.
  fs.closeSync(fs.openSync(options.path, 'a', 0o600))
  const db = new DatabaseSync(options.path, { timeout: 5_000 })
  try {
    db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${options.synchronous ?? 'FULL'}; PRAGMA fullfsync = ON;`)
    await ensureSchema(db, options.cipher)
    const metas = new Map<string, LibraryMeta>()
    for (const row of db.prepare('SELECT meta FROM libraries').all()) {
      const meta = checkMeta('meta', JSON.parse(column(row, 'meta')))
      metas.set(meta.id, meta)
    }
    return new SqliteVault(db, options, metas)
  } catch (error) {
    db.close()
    throw error
  }
}

/** A new database gets its tables and the cipher header; an existing one proves the key opens its check value. */
async function ensureSchema(db: DatabaseSync, cipher: Cipher): Promise<void> {
  const version = Number(db.prepare('PRAGMA user_version').get()?.['user_version'] ?? 0)
  if (version === 0) {
    const header = JSON.stringify(await newCipherHeader(cipher))
    db.exec('BEGIN IMMEDIATE')
    db.exec(SCHEMA)
    db.prepare("INSERT INTO header (key, value) VALUES ('cipher', ?)").run(header)
    db.exec('COMMIT')
    return
  }
  // Migrations of the schema would run here, in one transaction, keyed on user_version.
  if (version !== SCHEMA_VERSION) throw new Error(`the vault database is at schema ${version}; this build knows ${SCHEMA_VERSION}`)
  const header = JSON.parse(column(db.prepare("SELECT value FROM header WHERE key = 'cipher'").get(), 'value')) as Record<string, unknown>
  if (header['kind'] !== cipher.kind) throw new Error(`the vault database is sealed with ${String(header['kind'])}, not ${cipher.kind}`)
  // AES-GCM's tag proves the key: a wrong key throws DecryptError here.
  await cipher.decrypt(String(header['check']))
}

export class SqliteVault implements PrototypeVault {
  readonly path: string
  readonly #db: DatabaseSync
  readonly #cipher: Cipher
  readonly #now: () => number
  readonly #windowMs: number
  readonly #metas: Map<string, LibraryMeta>
  #list: readonly LibraryMeta[] | null = null
  readonly #sql: Readonly<Record<'insert' | 'rotate' | 'spend' | 'isSpent' | 'secrets' | 'metas' | 'dataVersion', StatementSync>>
  /** Made in memory, not yet committed: written in order by the next transaction. */
  #ops: WriteOp[] = []
  #spentPending = new Set<string>()
  #waiters: Waiter[] = []
  #timer: ReturnType<typeof setTimeout> | null = null
  /** Another connection's commit changes PRAGMA data_version: how a change by another process is noticed. */
  #dataVersion: number
  #transactions = 0
  #failedTransactions = 0
  #commitMs = 0
  #longestCommitMs = 0
  #maxWaitMs = 0
  #closed = false

  constructor(db: DatabaseSync, options: SqliteVaultOptions, metas: Map<string, LibraryMeta>) {
    this.path = options.path
    this.#db = db
    this.#cipher = options.cipher
    this.#now = options.now ?? Date.now
    this.#windowMs = options.commitWindowMs ?? 4
    this.#metas = metas
    this.#sql = {
      insert: db.prepare('INSERT INTO libraries (id, meta, client_secret, access_token, refresh_token) VALUES (?, ?, ?, ?, ?)'),
      rotate: db.prepare('UPDATE libraries SET meta = ?, access_token = ?, refresh_token = ? WHERE id = ?'),
      spend: db.prepare('INSERT OR IGNORE INTO spent (fingerprint) VALUES (?)'),
      isSpent: db.prepare('SELECT 1 AS hit FROM spent WHERE fingerprint = ?'),
      secrets: db.prepare('SELECT client_secret, access_token, refresh_token FROM libraries WHERE id = ?'),
      metas: db.prepare('SELECT meta FROM libraries'),
      dataVersion: db.prepare('PRAGMA data_version')
    }
    this.#dataVersion = this.#readDataVersion()
  }

  list(): readonly LibraryMeta[] {
    this.#list ??= Object.freeze([...this.#metas.values()])
    return this.#list
  }

  get(id: string): LibraryMeta | undefined {
    return this.#metas.get(libraryId('id', id))
  }

  isSpent(refreshToken: string): boolean {
    const fingerprint = spentFingerprint(opaque('refreshToken', refreshToken))
    return this.#spentPending.has(fingerprint) || this.#sql.isSpent.get(fingerprint) !== undefined
  }

  async secrets<F extends SecretField = SecretField>(id: string, fields?: readonly F[]): Promise<Pick<LibrarySecrets, F>> {
    this.#assertOpen()
    const key = libraryId('id', id)
    const wanted = fields === undefined ? undefined : secretFields('fields', fields)
    // A change not yet committed is not handed out: a rotated token must be durable first.
    if (this.#ops.some((op) => op.meta.id === key)) await this.#join(0)
    const meta = this.#metas.get(key)
    const row = this.#sql.secrets.get(key)
    if (!meta || !row) throw new InputError('id', `There is no library with id "${key}" in the vault`)
    const secrets: SealedSecrets = { clientSecret: column(row, 'client_secret'), accessToken: column(row, 'access_token'), refreshToken: column(row, 'refresh_token') }
    return openSecrets(this.#cipher, { meta, secrets }, wanted)
  }

  async add(meta: LibraryMeta, secrets: LibrarySecrets, options: { readonly consumedRefreshToken?: string } = {}): Promise<void> {
    this.#assertOpen()
    const checkedSecrets = checkSecrets('secrets', secrets)
    const checkedMeta = withPreview(checkMeta('meta', meta), checkedSecrets.accessToken)
    const consumed = options.consumedRefreshToken === undefined ? null : opaque('options.consumedRefreshToken', options.consumedRefreshToken)
    const sealed = await sealSecrets(this.#cipher, checkedMeta, checkedSecrets)
    if (this.#metas.has(checkedMeta.id)) throw new InputError('meta.id', `A library with id "${checkedMeta.id}" is already in the vault`)
    if (this.isSpent(checkedSecrets.refreshToken)) {
      throw new InputError('secrets.refreshToken', `This refresh token for ${checkedMeta.name} has already been used and no longer works`)
    }
    if (consumed !== null) this.#markSpent(consumed, checkedSecrets.refreshToken)
    this.#ops.push({ kind: 'insert', meta: checkedMeta, secrets: sealed })
    this.#remember(checkedMeta)
    await this.#join(this.#windowMs)
  }

  async commitRotation(id: string, rotation: Rotation): Promise<void> {
    this.#assertOpen()
    const key = libraryId('id', id)
    const raw = record('rotation', rotation)
    onlyKeys('rotation', raw, ['sentRefreshToken', 'pair'])
    const sent = opaque('rotation.sentRefreshToken', raw['sentRefreshToken'])
    const pair = checkPair('rotation.pair', raw['pair'])
    const current = this.#metas.get(key)
    // Sealed for the record they belong to (the vault binds each secret to its record's fields).
    const accessToken = current ? await sealSecret(this.#cipher, current, 'accessToken', pair.accessToken) : ''
    const refreshToken = current ? await sealSecret(this.#cipher, current, 'refreshToken', pair.refreshToken) : ''
    // The server consumed the token even for a library removed meanwhile: a restored copy must know it.
    this.#markSpent(sent, pair.refreshToken)
    if (!current) {
      await this.#join(this.#windowMs)
      throw new InputError('id', `There is no library with id "${key}" (it was removed while its token was being refreshed)`)
    }
    const meta = withPreview(
      {
        ...current,
        issuedAt: pair.issuedAt,
        expiresAt: pair.expiresAt,
        lastRefreshedAt: this.#now(),
        scopes: pair.scopes,
        lastError: null,
        tokenState: current.tokenState === 'revoked' ? 'revoked' : 'active'
      },
      pair.accessToken
    )
    this.#ops.push({ kind: 'rotate', meta, accessToken, refreshToken })
    this.#remember(meta)
    await this.#join(this.#windowMs)
  }

  /** Re-reads the records if another connection (another process) committed since; resolves to whether it had. */
  async reloadIfChanged(): Promise<boolean> {
    const version = this.#readDataVersion()
    if (version === this.#dataVersion) return false
    this.#dataVersion = version
    const pending = new Set(this.#ops.map((op) => op.meta.id))
    const fresh = new Map<string, LibraryMeta>()
    for (const row of this.#sql.metas.all()) {
      const meta = checkMeta('meta', JSON.parse(column(row, 'meta')))
      fresh.set(meta.id, pending.has(meta.id) ? (this.#metas.get(meta.id) ?? meta) : meta)
    }
    this.#metas.clear()
    for (const [id, meta] of fresh) this.#metas.set(id, meta)
    this.#list = null
    return true
  }

  stats(): SqliteVaultStats {
    return {
      transactions: this.#transactions,
      failedTransactions: this.#failedTransactions,
      commitMs: this.#commitMs,
      longestCommitMs: this.#longestCommitMs,
      maxWaitMs: this.#maxWaitMs
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.#ops.length > 0 || this.#spentPending.size > 0 || this.#waiters.length > 0) this.#commitNow()
    // The last connection's close checkpoints the WAL into the database and removes it.
    this.#db.close()
  }

  #remember(meta: LibraryMeta): void {
    this.#metas.set(meta.id, meta)
    this.#list = null
  }

  #markSpent(sent: string, issuedRefreshToken: string): void {
    // A server that hands back the same refresh token did not rotate it: it is still the live one.
    if (sent !== issuedRefreshToken) this.#spentPending.add(spentFingerprint(sent))
  }

  /** Joins the open batch; its window starts with its first change. */
  #join(windowMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiters.push({ joinedAt: performance.now(), resolve, reject })
      if (this.#timer !== null && windowMs > 0) return
      if (this.#timer !== null) clearTimeout(this.#timer)
      this.#timer = setTimeout(() => this.#commitNow(), windowMs)
    })
  }

  /** One transaction for everything pending: spent fingerprints and records commit (and become durable) together. */
  #commitNow(): void {
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
    const ops = this.#ops
    const spent = this.#spentPending
    const waiters = this.#waiters
    this.#ops = []
    this.#spentPending = new Set()
    this.#waiters = []
    const started = performance.now()
    try {
      this.#db.exec('BEGIN IMMEDIATE')
      for (const fingerprint of spent) this.#sql.spend.run(fingerprint)
      for (const op of ops) {
        const meta = JSON.stringify(op.meta)
        if (op.kind === 'insert') this.#sql.insert.run(op.meta.id, meta, op.secrets.clientSecret, op.secrets.accessToken, op.secrets.refreshToken)
        else this.#sql.rotate.run(meta, op.accessToken, op.refreshToken, op.meta.id)
      }
      this.#db.exec('COMMIT')
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK')
      // Memory is ahead of the disk: the batch goes out with the next one (no timed retry in this prototype).
      this.#ops = [...ops, ...this.#ops]
      this.#spentPending = new Set([...spent, ...this.#spentPending])
      this.#failedTransactions++
      for (const waiter of waiters) waiter.reject(error)
      return
    } finally {
      const ms = performance.now() - started
      this.#commitMs += ms
      this.#longestCommitMs = Math.max(this.#longestCommitMs, ms)
    }
    this.#transactions++
    this.#dataVersion = this.#readDataVersion()
    const now = performance.now()
    for (const waiter of waiters) {
      this.#maxWaitMs = Math.max(this.#maxWaitMs, now - waiter.joinedAt)
      waiter.resolve()
    }
  }

  #readDataVersion(): number {
    return Number(this.#sql.dataVersion.get()?.['data_version'] ?? 0)
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('the vault is closed')
  }
}
