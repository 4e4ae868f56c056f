// The core assembled: vault, audit trail, Apicbase client, refresh engine and library service, and one stream
// of "this library changed" events for whoever shows them (the window, the tray, notifications).
import { EventEmitter } from 'node:events'
import type { CopyFormat, CopyReceipt } from '../../shared/contract.ts'
import { createApicbaseClient, type ApicbaseClient } from './apicbase/index.ts'
import { ignoreAuditFailure, toCsv, type AuditLog, type AuditQuery } from './audit/index.ts'
import { RefreshEngine, type RefreshEngineOptions } from './engine/refresh-engine.ts'
import { formatForCopy } from './export-formats.ts'
import { LibraryService, type LibraryWithStatus } from './libraries/library-service.ts'
import { tokenPreview } from './model.ts'
import { systemClock, type Clock } from './time/clock.ts'
import type { Vault, VaultSettings, VaultSettingsPatch } from './vault/index.ts'

export interface CoreEvents {
  'library.changed': [LibraryWithStatus]
  'library.removed': [{ readonly id: string }]
}

/** Where a copied value goes. The clipboard adapter marks it sensitive and clears it later. */
export interface SecretSink {
  copySecret(
    text: string,
    options: { readonly clearAfterMs: number }
  ): { readonly clearsAt: number | null; readonly written?: Promise<void> }
}

export interface LarderCoreOptions {
  readonly vault: Vault
  readonly audit: AuditLog
  readonly sink: SecretSink
  readonly client?: ApicbaseClient
  readonly clock?: Clock
  readonly engine?: Partial<Omit<RefreshEngineOptions, 'vault' | 'client' | 'clock' | 'audit' | 'timing'>>
}

export class LarderCore extends EventEmitter<CoreEvents> {
  readonly vault: Vault
  readonly audit: AuditLog
  readonly client: ApicbaseClient
  readonly engine: RefreshEngine
  readonly libraries: LibraryService
  readonly #sink: SecretSink
  readonly #clock: Clock
  readonly #ownsClient: boolean

  constructor(options: LarderCoreOptions) {
    super()
    this.vault = options.vault
    this.audit = options.audit
    this.#sink = options.sink
    this.#clock = options.clock ?? systemClock
    this.#ownsClient = options.client === undefined
    this.client = options.client ?? createApicbaseClient({ now: () => this.#clock.now() })
    this.engine = new RefreshEngine({
      vault: this.vault,
      client: this.client,
      clock: this.#clock,
      audit: this.audit,
      timing: () => {
        const settings = this.vault.settings()
        return { expiringSoonMs: settings.expiringSoonMs, refreshAheadMs: settings.refreshAheadMs, jitterMs: 30 * 60_000 }
      },
      ...options.engine
    })
    this.libraries = new LibraryService({ vault: this.vault, client: this.client, engine: this.engine, clock: this.#clock, audit: this.audit })
    const changed = ({ id }: { readonly id: string }): void => this.#changed(id)
    this.engine.on('status', changed)
    this.engine.on('refreshed', changed)
    this.engine.on('failed', changed)
    this.engine.on('needsReauth', changed)
  }

  start(): void {
    this.engine.start()
  }

  /** After sleep, resume or a clock change. Idempotent. */
  wake(): void {
    this.engine.reevaluate()
  }

  /** The vault file changed behind our back and was re-read: plan and show everything again. */
  reloaded(): void {
    for (const library of this.libraries.list()) {
      this.engine.track(library.id)
      this.emit('library.changed', library)
    }
  }

  async add(input: unknown): Promise<LibraryWithStatus> {
    const { library } = await this.libraries.add(input)
    this.#changed(library.id)
    return this.libraries.get(library.id)
  }

  async refresh(id: string): Promise<LibraryWithStatus> {
    return this.libraries.refresh(id)
  }

  async revoke(id: string): Promise<LibraryWithStatus> {
    const library = await this.libraries.revoke(id)
    this.#changed(id)
    return library
  }

  async remove(id: string, confirmName: unknown): Promise<void> {
    await this.libraries.remove(id, confirmName)
    this.emit('library.removed', { id })
  }

  /**
   * Puts a fresh token on the clipboard in the asked format: refreshed first if it expires within the margin.
   * Only a receipt with a masked preview comes back.
   */
  async copy(id: string, format: CopyFormat): Promise<CopyReceipt> {
    const settings = this.vault.settings()
    const meta = this.libraries.get(id)
    let token: string
    try {
      token = await this.engine.freshAccessToken(id, settings.copyFreshnessMarginMs)
    } catch (error) {
      this.audit.append({ action: 'copied', libraryId: id, libraryName: meta.name, outcome: 'error', detail: `${format}: ${error instanceof Error ? error.message : 'failed'}` }).catch(ignoreAuditFailure)
      throw error
    }
    const { clearsAt, written } = this.#sink.copySecret(formatForCopy(format, token, this.libraries.get(id)), { clearAfterMs: settings.clipboardClearMs })
    // A copy that never reached the clipboard must not be reported (or audited) as done.
    await written
    await this.vault.patch(id, { lastUsedAt: this.#clock.now() })
    this.audit.append({ action: 'copied', libraryId: id, libraryName: meta.name, outcome: 'ok', detail: `format: ${format}` }).catch(ignoreAuditFailure)
    this.#changed(id)
    return { libraryId: id, format, preview: tokenPreview(token), clearsAt }
  }

  settings(): VaultSettings {
    return this.vault.settings()
  }

  async updateSettings(patch: VaultSettingsPatch): Promise<VaultSettings> {
    const settings = await this.vault.updateSettings(patch)
    // Thresholds moved: statuses and deadlines follow.
    for (const library of this.libraries.list()) this.engine.track(library.id)
    return settings
  }

  async exportAuditCsv(filter: Omit<AuditQuery, 'before' | 'limit'>): Promise<{ csv: string; rows: number }> {
    const entries = []
    for (let before: number | undefined, page = 0; page < 1000; page++) {
      const result = await this.audit.page({ ...filter, limit: 500, ...(before === undefined ? {} : { before }) })
      entries.push(...result.entries)
      if (result.nextBefore === null) break
      before = result.nextBefore
    }
    this.audit.append({ action: 'exported', libraryId: filter.libraryId ?? null, libraryName: null, outcome: 'ok', detail: `audit CSV, ${entries.length} rows` }).catch(ignoreAuditFailure)
    return { csv: toCsv(entries), rows: entries.length }
  }

  /** Lets refreshes in flight finish (so none is cut off between the server's answer and our write), then closes. */
  async close(): Promise<void> {
    this.engine.stop()
    await this.engine.settled()
    await this.vault.close()
    await this.audit.close()
    if (this.#ownsClient) await this.client.close()
  }

  #changed(id: string): void {
    if (this.vault.get(id)) this.emit('library.changed', this.libraries.get(id))
  }
}
