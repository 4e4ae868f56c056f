// The core assembled: vault, audit trail, Apicbase client, refresh engine, library service, personal tokens (switching
// and drift) and the OAuth flow, and one stream of "this library changed" events for whoever shows them (the window,
// the tray, notifications).
import { EventEmitter } from 'node:events'
import type { CopyFormat, CopyReceipt, PersonalCopyNote } from '../../shared/contract.ts'
import { createApicbaseClient, type ApicbaseClient } from './apicbase/index.ts'
import { ignoreAuditFailure, toCsv, type AuditLog, type AuditQuery } from './audit/index.ts'
import { RefreshEngine, type RefreshEngineOptions } from './engine/refresh-engine.ts'
import { formatForCopy } from './export-formats.ts'
import { LibraryService, type AddedLibrary, type LibraryWithStatus } from './libraries/library-service.ts'
import { isConnection, tokenPreview } from './model.ts'
import { OAuthService, type OAuthStartInput, type OAuthStarted } from './oauth/oauth-service.ts'
import { PersonalService, type PersonalServiceOptions } from './personal/personal-service.ts'
import type { PersonalState, ReachableLibrary } from './personal/personal-types.ts'
import { systemClock, type Clock } from './time/clock.ts'
import type { Vault, VaultSettings, VaultSettingsPatch } from './vault/index.ts'

export interface CoreEvents {
  'library.changed': [LibraryWithStatus]
  'library.removed': [{ readonly id: string }]
  /** Where a personal token's active library stands (for the dashboard and the tray). */
  'personal.active': [PersonalState]
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
  readonly personal?: Partial<Pick<PersonalServiceOptions, 'perTokenPerMinute' | 'checkEveryMs' | 'maxQueued'>>
}

export class LarderCore extends EventEmitter<CoreEvents> {
  readonly vault: Vault
  readonly audit: AuditLog
  readonly client: ApicbaseClient
  readonly engine: RefreshEngine
  readonly libraries: LibraryService
  /** Personal tokens: one queue per token, switching before acting, drift detection. */
  readonly personal: PersonalService
  /** Connecting a personal token through OAuth's authorization-code flow. */
  readonly oauth: OAuthService
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
    this.personal = new PersonalService({
      vault: this.vault,
      client: this.client,
      tokens: this.engine,
      clock: this.#clock,
      audit: this.audit,
      ...options.personal
    })
    this.libraries = new LibraryService({
      vault: this.vault,
      client: this.client,
      engine: this.engine,
      clock: this.#clock,
      audit: this.audit,
      personal: this.personal
    })
    this.oauth = new OAuthService({
      client: this.client,
      clock: this.#clock,
      store: (token) => this.libraries.addExchanged(token),
      defaultApiBaseUrl: () => this.vault.settings().defaultApiBaseUrl,
      onConnected: (added) => this.#connected(added)
    })
    const changed = ({ id }: { readonly id: string }): void => this.#changed(id)
    this.engine.on('status', changed)
    this.engine.on('refreshed', changed)
    this.engine.on('failed', changed)
    this.engine.on('needsReauth', changed)
    this.personal.on('active', (state) => {
      this.emit('personal.active', state)
      this.#changed(state.connectionId)
    })
  }

  start(): void {
    this.engine.start()
    this.personal.start()
  }

  /** After sleep, resume or a clock change. Idempotent. */
  wake(): void {
    this.engine.reevaluate()
    this.personal.reevaluate()
  }

  /** The vault file changed behind our back and was re-read: plan and show everything again. */
  reloaded(): void {
    for (const meta of this.vault.list()) this.engine.track(meta.id)
    this.personal.reloaded()
    for (const library of this.libraries.list()) this.emit('library.changed', library)
  }

  async add(input: unknown): Promise<LibraryWithStatus> {
    return this.#connected(await this.libraries.add(input))
  }

  // ── personal tokens ────────────────────────────────────────────────────────────────────────────────

  /** Starts connecting a personal token through OAuth; the caller opens `authorizeUrl` in the system browser. */
  startOAuth(input: OAuthStartInput): Promise<OAuthStarted> {
    return this.oauth.start(input)
  }

  /** The libraries a personal token's user can reach, which is active, and which are in Larder already. */
  personalLibraries(id: string): Promise<{ readonly state: PersonalState; readonly libraries: readonly ReachableLibrary[] }> {
    return this.personal.reachable(id)
  }

  /** Adds libraries reached through a personal token; they share its one stored, once-refreshed token pair. */
  async addPersonal(connectionId: string, libraryIds: readonly string[]): Promise<LibraryWithStatus[]> {
    const entries = await this.personal.add(connectionId, libraryIds)
    // The token's row and every library sharing it (the new ones are announced here for the first time).
    this.#changed(this.libraries.tokenHolderOf(connectionId))
    return entries.map((entry) => this.libraries.get(entry.id))
  }

  /**
   * A person's switch: an entry's library becomes the active one (and ends a drift); for a personal token's own
   * record, the library active now is kept.
   */
  async switchPersonal(id: string): Promise<LibraryWithStatus> {
    await this.personal.switchTo(id)
    this.#changed(this.libraries.tokenHolderOf(id))
    return this.libraries.get(id)
  }

  /** Reads a personal token's active library now. */
  async checkPersonal(id: string): Promise<PersonalState> {
    return this.personal.check(id)
  }

  async refresh(id: string): Promise<LibraryWithStatus> {
    return this.libraries.refresh(id)
  }

  async revoke(id: string): Promise<LibraryWithStatus> {
    const library = await this.libraries.revoke(id)
    this.#changed(id)
    return library
  }

  async reauthorize(id: string, input: unknown): Promise<LibraryWithStatus> {
    const library = await this.libraries.reauthorize(id, input)
    this.#changed(this.libraries.tokenHolderOf(id))
    this.#changed(id)
    return library
  }

  /** Removing a personal token's record removes the libraries that use it too; each is announced. */
  async remove(id: string, confirmName: unknown): Promise<void> {
    const sharedToken = this.vault.entries().find((entry) => entry.id === id)?.connectionId
    const removed = await this.libraries.remove(id, confirmName)
    this.personal.forget(id)
    for (const gone of removed) this.emit('library.removed', { id: gone })
    // One library fewer shares that token: its rows say how many do.
    if (sharedToken !== undefined) this.#changed(sharedToken)
  }

  /**
   * Puts a fresh token on the clipboard in the asked format: refreshed first if it expires within the margin.
   * For a library reached through a personal token, Larder first switches the token's user to that library (in the
   * token's queue, refusing while the active library drifted) and the receipt says so. Only a receipt with a masked
   * preview comes back.
   */
  async copy(id: string, format: CopyFormat): Promise<CopyReceipt> {
    const settings = this.vault.settings()
    const meta = this.libraries.get(id)
    const hand = async (token: string): Promise<{ clearsAt: number | null; preview: string }> => {
      const { clearsAt, written } = this.#sink.copySecret(formatForCopy(format, token, meta), { clearAfterMs: settings.clipboardClearMs })
      // A copy that never reached the clipboard must not be reported (or audited) as done.
      await written
      return { clearsAt, preview: tokenPreview(token) }
    }
    let copied: { clearsAt: number | null; preview: string }
    let personal: PersonalCopyNote | undefined
    try {
      if (meta.personal?.role === 'library') {
        const run = await this.personal.onLibrary(id, ({ accessToken }) => hand(accessToken), {
          purpose: `copying its token (${format})`,
          apiCalls: 0,
          marginMs: settings.copyFreshnessMarginMs
        })
        copied = run.value
        personal = copyNote(meta, run.switched, run.active?.id ?? null, run.active?.name ?? null)
      } else if (meta.personal?.role === 'connection') {
        const run = await this.personal.onConnection(id, ({ accessToken }, active) => hand(accessToken).then((value) => ({ value, active })), {
          apiCalls: 0,
          marginMs: settings.copyFreshnessMarginMs
        })
        copied = run.value
        const now = run.active === null ? null : (run.active.name ?? `library ${run.active.id}`)
        personal = {
          switched: false,
          activeLibraryId: run.active?.id ?? null,
          activeLibraryName: run.active?.name ?? null,
          message:
            now === null
              ? "This personal token acts on whichever library its user has active; Larder cannot tell which (the token lacks the 'accounts' scope)."
              : `This personal token acts on whichever library its user has active: now ${now}. Copy it from one of its libraries to have Larder switch first.`
        }
      } else {
        copied = await hand(await this.engine.freshAccessToken(id, settings.copyFreshnessMarginMs))
      }
    } catch (error) {
      this.audit.append({ action: 'copied', libraryId: id, libraryName: meta.name, outcome: 'error', detail: `${format}: ${error instanceof Error ? error.message : 'failed'}` }).catch(ignoreAuditFailure)
      throw error
    }
    if (meta.personal?.role === 'library') await this.vault.patchEntry(id, { lastUsedAt: this.#clock.now() })
    else await this.vault.patch(id, { lastUsedAt: this.#clock.now() })
    const detail = `format: ${format}${personal?.switched ? `; switched to ${personal.activeLibraryName ?? personal.activeLibraryId} first` : ''}`
    this.audit.append({ action: 'copied', libraryId: id, libraryName: meta.name, outcome: 'ok', detail }).catch(ignoreAuditFailure)
    this.#changed(id)
    return { libraryId: id, format, preview: copied.preview, clearsAt: copied.clearsAt, ...(personal ? { personal } : {}) }
  }

  settings(): VaultSettings {
    return this.vault.settings()
  }

  async updateSettings(patch: VaultSettingsPatch): Promise<VaultSettings> {
    const settings = await this.vault.updateSettings(patch)
    // Thresholds moved: statuses and deadlines follow.
    for (const meta of this.vault.list()) this.engine.track(meta.id)
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
    this.personal.stop()
    await this.oauth.close()
    await this.personal.settled()
    await this.engine.settled()
    await this.vault.close()
    await this.audit.close()
    if (this.#ownsClient) await this.client.close()
  }

  /** Announces a library; a personal token's record brings the libraries that share its token along. */
  #changed(id: string): void {
    const entry = this.vault.entry(id)
    if (entry) {
      this.emit('library.changed', this.libraries.get(id))
      return
    }
    const meta = this.vault.get(id)
    if (!meta) return
    this.emit('library.changed', this.libraries.get(id))
    if (isConnection(meta)) for (const shared of this.libraries.entriesOf(id)) this.emit('library.changed', this.libraries.get(shared.id))
  }

  /** A library was added (pasted, or a personal token connected through OAuth); answers it as it stands now. */
  #connected(added: AddedLibrary): LibraryWithStatus {
    const { library, found } = added
    if (isConnection(library)) {
      if (found) this.personal.observed(library.id, found)
      this.personal.track(library.id)
    }
    this.#changed(library.id)
    return this.libraries.get(library.id)
  }
}

function copyNote(library: LibraryWithStatus, switched: boolean, activeId: string | null, activeName: string | null): PersonalCopyNote {
  const token = library.personal?.connectionName ?? 'the personal token'
  const where = activeName ?? library.apicbaseLibraryName ?? library.name
  const lead = switched ? `Switched the personal token of ${token} to ${where} before copying.` : `${where} was already the active library of ${token}.`
  return {
    switched,
    activeLibraryId: activeId,
    activeLibraryName: activeName,
    message: `${lead} The copied token acts on ${where} until its active library changes (in Larder for another library, or in Apicbase).`
  }
}
